// The collector's checks of a sensor message (src/fleet/fleet_message.hpp): a well-formed message as a sensor
// publishes it is accepted with its fields, and each way an attacker can bend it is refused, naming the
// member. Ranges from the specs: LAC 16 bits, CI 16 bits in GSM (TS 23.003 4.3), BSIC 6 bits (TS 45.002 4.3.2),
// MNC 2 or 3 digits (TS 23.003 2.2).
#include <gtest/gtest.h>

#include "src/fleet/fleet_message.hpp"

using nlohmann::json;
using tw::fleet::FleetMessage;
using tw::fleet::parse_fleet_message;

namespace {

json good_cell() {
  return {{"msg_id", "s1:0123456789abcdef:7"}, {"epoch", "0123456789abcdef"}, {"seq", 7}, {"floor", 3},
          {"type", "cell"}, {"sensor", "s1"}, {"sweep", 2}, {"time_unix_ms", 1796300000000LL}, {"lat", 52.5}, {"lon", 13.4},
          {"rat", "GSM"}, {"arfcn", 62}, {"band", "P-GSM900"}, {"mcc", 262}, {"mnc", "01"}, {"lac", 1234}, {"ci", 10012},
          {"bsic", 13}, {"power_dbfs", -33.2}, {"snr_db", 23.4}, {"cfo_hz", -8.0}, {"si_seen", {"SI1", "SI3"}}};
}

std::string why_refused(const json& j, const std::string& kind = "cell") {
  FleetMessage m;
  std::string why;
  if (parse_fleet_message("s1", kind, j.dump(), m, why)) return "";
  return why;
}

}  // namespace

TEST(FleetMessage, AWellFormedCellIsAcceptedWithItsFields) {
  FleetMessage m;
  std::string why;
  ASSERT_TRUE(parse_fleet_message("s1", "cell", good_cell().dump(), m, why)) << why;
  EXPECT_EQ(m.seq, 7);
  EXPECT_EQ(m.floor, 3);
  EXPECT_EQ(m.sweep, 2);
  EXPECT_EQ(m.cell.arfcn, 62);
  EXPECT_EQ(*m.cell.lac, 1234);
  EXPECT_EQ(*m.cell.mnc, "01");
  EXPECT_DOUBLE_EQ(*m.cell.lat, 52.5);
  EXPECT_EQ(m.cell.sensor_id, "s1");
}

TEST(FleetMessage, EachBentMemberIsRefusedByName) {
  auto with = [](const char* k, json v) {
    auto j = good_cell();
    j[k] = std::move(v);
    return j;
  };
  EXPECT_NE(why_refused(with("lac", 65536)).find("'lac'"), std::string::npos);
  EXPECT_NE(why_refused(with("ci", 65536)).find("'ci'"), std::string::npos);
  EXPECT_NE(why_refused(with("bsic", 64)).find("'bsic'"), std::string::npos);
  EXPECT_NE(why_refused(with("mnc", "1")).find("'mnc'"), std::string::npos);
  EXPECT_NE(why_refused(with("mnc", "0a1")).find("'mnc'"), std::string::npos);
  EXPECT_NE(why_refused(with("mcc", "262")).find("'mcc'"), std::string::npos);
  EXPECT_NE(why_refused(with("lat", 91.0)).find("'lat'"), std::string::npos);
  EXPECT_NE(why_refused(with("power_dbfs", 1e300)).find("'power_dbfs'"), std::string::npos);
  EXPECT_NE(why_refused(with("rat", "CDMA")).find("'rat'"), std::string::npos);
  EXPECT_NE(why_refused(with("band", std::string(33, 'x'))).find("'band'"), std::string::npos);
  EXPECT_NE(why_refused(with("si_seen", json::array({1}))).find("'si_seen'"), std::string::npos);
  EXPECT_NE(why_refused(with("sensor", "s2")).find("'sensor'"), std::string::npos);   // not the topic's
  EXPECT_NE(why_refused(with("msg_id", "s1:0123456789abcdef:8")).find("'msg_id'"), std::string::npos);
  EXPECT_NE(why_refused(with("floor", 7)).find("'floor'"), std::string::npos);         // must be below seq
  EXPECT_NE(why_refused(with("time_unix_ms", 5)).find("'time_unix_ms'"), std::string::npos);
  EXPECT_NE(why_refused(with("epoch", "0123456789ABCDEF")).find("'epoch'"), std::string::npos);
  EXPECT_NE(why_refused(good_cell(), "alert").find("'type'"), std::string::npos);       // kind of the topic
}

TEST(FleetMessage, RawShapesAreRefusedBeforeParsing) {
  FleetMessage m;
  std::string why;
  EXPECT_FALSE(parse_fleet_message("s1", "cell", std::string(tw::fleet::kMaxPayload + 1, ' '), m, why));
  EXPECT_NE(why.find("exceeds"), std::string::npos);
  EXPECT_FALSE(parse_fleet_message("s1", "cell", std::string(17, '[') + std::string(17, ']'), m, why));
  EXPECT_NE(why.find("nested"), std::string::npos);
  EXPECT_FALSE(parse_fleet_message("s1", "cell", std::string("{\"a\":\"\0\"}", 9), m, why));
  EXPECT_NE(why.find("NUL"), std::string::npos);
  EXPECT_FALSE(parse_fleet_message("s1", "cell", R"({"a":"\u0000"})", m, why));
  EXPECT_NE(why.find("NUL"), std::string::npos);
  EXPECT_FALSE(parse_fleet_message("s1", "cell", "{\"a\":\"\xff\"}", m, why));   // not UTF-8
  EXPECT_NE(why.find("not JSON"), std::string::npos);
  // A refused message whose head was sound still names its sequence number (the collector marks it handled).
  auto j = good_cell();
  j["lac"] = -1;
  EXPECT_FALSE(parse_fleet_message("s1", "cell", j.dump(), m, why));
  EXPECT_EQ(m.seq, 7);
  EXPECT_EQ(m.epoch, "0123456789abcdef");
}

TEST(FleetMessage, TopicsAreClassified) {
  std::string sensor, kind;
  using tw::fleet::TopicKind;
  EXPECT_EQ(tw::fleet::classify_topic("tw", "tw/s1/cell", sensor, kind), TopicKind::data);
  EXPECT_EQ(sensor, "s1");
  EXPECT_EQ(tw::fleet::classify_topic("tw", "tw/s1/status", sensor, kind), TopicKind::status);
  EXPECT_EQ(tw::fleet::classify_topic("tw", "tw/s1/ack", sensor, kind), TopicKind::ack);
  EXPECT_EQ(tw::fleet::classify_topic("tw", "tw/fleet/alert", sensor, kind), TopicKind::fleet);
  EXPECT_EQ(tw::fleet::classify_topic("tw", "tw/s 1/cell", sensor, kind), TopicKind::other);
  EXPECT_EQ(tw::fleet::classify_topic("tw", "tw/s1/cell/x", sensor, kind), TopicKind::other);
  EXPECT_EQ(tw::fleet::classify_topic("tw", "tw2/s1/cell", sensor, kind), TopicKind::other);
}

TEST(FleetMessage, AnNrCellIsAcceptedWithinTheRangesOf38211And38104) {
  // What `scan --band NR-n78 --mqtt` publishes for an SSB (dsp/nr/ssb_receiver to_json), with the head.
  json nr = {{"msg_id", "s1:0123456789abcdef:9"}, {"epoch", "0123456789abcdef"}, {"seq", 9}, {"floor", 3},
             {"type", "cell"}, {"sensor", "s1"}, {"sweep", 2}, {"time_unix_ms", 1796300000000LL},
             {"rat", "NR"}, {"gscn", 7880}, {"nr_arfcn", 636576}, {"band", "NR-n78"}, {"pci", 1007}, {"ssb_index", 5},
             {"mib", {{"cell_barred", false}, {"scs_common_khz", 30}}}, {"rsrp_dbfs", -61.5}, {"sinr_db", 17.0},
             {"cfo_hz", -300.0}};
  FleetMessage m;
  std::string why;
  ASSERT_TRUE(parse_fleet_message("s1", "cell", nr.dump(), m, why)) << why;
  EXPECT_EQ(m.cell.rat, "NR");
  EXPECT_EQ(m.cell.arfcn, 7880);   // the GSCN is the NR observation's channel
  EXPECT_DOUBLE_EQ(m.cell.power_dbfs, -61.5);
  auto with = [&](const char* k, json v) {
    auto j = nr;
    j[k] = std::move(v);
    return j;
  };
  EXPECT_NE(why_refused(with("pci", 1008)).find("'pci'"), std::string::npos);       // TS 38.211 7.4.2.1
  EXPECT_NE(why_refused(with("gscn", 26640)).find("'gscn'"), std::string::npos);    // TS 38.104 5.4.3.1
  EXPECT_NE(why_refused(with("ssb_index", 64)).find("'ssb_index'"), std::string::npos);
  EXPECT_NE(why_refused(with("mib", json::array())).find("'mib'"), std::string::npos);
  EXPECT_NE(why_refused(with("rat", "5G")).find("'rat'"), std::string::npos);
}
