// The HTML report (src/output/html_report.hpp), checked at parse level: a small tag scanner written here
// walks the page and checks that every opened element is closed in order (void elements aside), that no
// script, external URL or event-handler attribute exists, that every cell and every alert reason appears,
// and that hostile strings from the air arrive as text, never as markup.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "src/output/html_report.hpp"
#include "support/test_support.hpp"

using nlohmann::json;
using tw::output::ReportData;

namespace {

const std::string kHostile = "</td><script>alert(1)</script><img src=x onerror=alert(2)>\"'&";

json cell(int arfcn, int ci, const std::string& op) {
  return {{"type", "cell"}, {"rat", "GSM"}, {"arfcn", arfcn}, {"band", "P-GSM900"}, {"mcc", 262}, {"mnc", "01"},
          {"lac", 1234}, {"ci", ci}, {"bsic", 10}, {"power_dbfs", -40.5}, {"snr_db", 21.0},
          {"si_seen", {"SI1", "SI3"}}, {"operator_name", op}};
}

ReportData sample() {
  ReportData d;
  d.run.command = "scan";
  d.run.source = "towerwatch-sim " + kHostile;
  d.run.generated_unix_ms = 1'700'000'000'000;
  d.run.bands = {"E-GSM900"};
  d.cells = {cell(58, 10011, "Operator A"), cell(62, 10012, kHostile), cell(64, 10099, "rogue\xff\xfe bytes")};
  d.alerts.push_back({{"type", "alert"},
                      {"score", 4.5},
                      {"cell", {{"arfcn", 64}, {"mcc", 262}, {"mnc", "01"}, {"lac", 4711}, {"ci", 10099}, {"bsic", 13}}},
                      {"reasons",
                       {{{"rule", "T1"}, {"title", "Short location-update timer"}, {"weight", 1.5}, {"detail", "T3212 = 1 (6 min)"}},
                        {{"rule", "K1"}, {"title", "Empty neighbour list"}, {"weight", 1.0}, {"detail", kHostile}},
                        {{"rule", "K2"}, {"title", "CRO"}, {"weight", 2.0}, {"detail", "CRO 63 = 126 dB"}}}}});
  for (int a = 56; a <= 68; ++a) {
    tw::sweep::ChannelPower p;
    p.arfcn = a;
    p.band = a < 60 ? "P-GSM900" : kHostile;  // band names pass through escaping too
    p.freq_hz = 935e6 + 200e3 * a;
    p.power_dbfs = (a == 58 || a == 62 || a == 64) ? -40.0 : -95.0;
    p.noise_floor_dbfs = -96.0;
    d.census.push_back(p);
  }
  return d;
}

struct Tag {
  std::string name;
  bool closing = false;
  bool self_closing = false;
  std::string attrs;
};

// Splits the page into tags (text between them is ignored); fails on a '<' that does not start a tag.
std::vector<Tag> scan_tags(const std::string& html) {
  std::vector<Tag> tags;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    if (html.compare(i, 4, "<!--") == 0) {
      i = html.find("-->", i);
      continue;
    }
    const std::size_t end = html.find('>', i);
    EXPECT_NE(end, std::string::npos);
    if (end == std::string::npos) break;
    std::string body = html.substr(i + 1, end - i - 1);
    i = end + 1;
    if (!body.empty() && body[0] == '!') continue;  // doctype
    Tag t;
    if (!body.empty() && body[0] == '/') {
      t.closing = true;
      body.erase(0, 1);
    }
    if (!body.empty() && body.back() == '/') {
      t.self_closing = true;
      body.pop_back();
    }
    const std::size_t sp = body.find_first_of(" \n\t");
    t.name = body.substr(0, sp);
    t.attrs = sp == std::string::npos ? "" : body.substr(sp);
    EXPECT_FALSE(t.name.empty());
    EXPECT_TRUE(std::all_of(t.name.begin(), t.name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
        << "not a tag name: " << t.name;
    tags.push_back(t);
  }
  return tags;
}

void expect_well_nested(const std::vector<Tag>& tags) {
  static const std::set<std::string> void_elements = {"meta", "br", "img", "hr", "input", "link"};
  std::vector<std::string> stack;
  for (const auto& t : tags) {
    if (t.closing) {
      ASSERT_FALSE(stack.empty()) << "</" << t.name << "> closes nothing";
      ASSERT_EQ(stack.back(), t.name) << "</" << t.name << "> closes <" << stack.back() << ">";
      stack.pop_back();
    } else if (!t.self_closing && !void_elements.count(t.name)) {
      stack.push_back(t.name);
    }
  }
  EXPECT_TRUE(stack.empty()) << "unclosed <" << (stack.empty() ? "" : stack.back()) << ">";
}

std::size_t count(const std::string& h, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t i = h.find(needle); i != std::string::npos; i = h.find(needle, i + 1)) ++n;
  return n;
}

}  // namespace

TEST(HtmlReport, WellFormedSelfContainedNoScriptNoUrl) {
  const std::string h = tw::output::render_html_report(sample());
  ASSERT_EQ(h.rfind("<!DOCTYPE html>", 0), 0u);
  const auto tags = scan_tags(h);
  expect_well_nested(tags);
  std::set<std::string> names;
  for (const auto& t : tags) {
    names.insert(t.name);
    // No event handler or resource attribute in any tag (an escaped one is text, not inside a tag).
    for (const char* bad : {" onerror", " onload", " onclick", " src=", " href="})
      EXPECT_EQ(t.attrs.find(bad), std::string::npos) << "<" << t.name << t.attrs << ">";
  }
  for (const char* bad : {"script", "img", "link", "iframe", "object", "embed"}) EXPECT_FALSE(names.count(bad)) << bad;
  for (const char* need : {"html", "head", "body", "style", "table", "svg", "rect", "polyline"})
    EXPECT_TRUE(names.count(need)) << need;
  EXPECT_EQ(h.find("http:"), std::string::npos);
  EXPECT_EQ(h.find("https:"), std::string::npos);
  EXPECT_EQ(h.find("//"), std::string::npos) << "no protocol-relative URL";
  EXPECT_EQ(h.find("url("), std::string::npos) << "no CSS resource";
}

TEST(HtmlReport, HostileStringsAreTextNotMarkup) {
  const std::string h = tw::output::render_html_report(sample());
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("</td><script>"), std::string::npos);
  EXPECT_EQ(h.find("<img"), std::string::npos);
  const std::string escaped = "&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;";
  // The run's source, the cell's operator name, the K1 detail and the band name (plot heading and title).
  EXPECT_GE(count(h, escaped), 4u) << h;
  // Invalid UTF-8 from the air is replaced, not passed on.
  EXPECT_NE(h.find("rogue\xEF\xBF\xBD\xEF\xBF\xBD bytes"), std::string::npos);
  EXPECT_EQ(h.find("\xff"), std::string::npos);
}

TEST(HtmlReport, EveryCellAndEveryReasonAppears) {
  const auto d = sample();
  const std::string h = tw::output::render_html_report(d);
  // The cells table: one row per cell (its CI in a cell of its own).
  for (int ci : {10011, 10012, 10099}) EXPECT_EQ(count(h, "<td>" + std::to_string(ci) + "</td>"), 1u) << ci;
  EXPECT_EQ(count(h, "<tr class=\"alerted\">"), 1u);  // the rogue's row (ARFCN 64) is marked
  // The alert with each reason: rule, weight and detail in one row.
  EXPECT_NE(h.find("<td>T1</td><td>Short location-update timer</td><td>1.50</td><td>T3212 = 1 (6 min)</td>"), std::string::npos);
  EXPECT_NE(h.find("<td>K2</td><td>CRO</td><td>2.00</td><td>CRO 63 = 126 dB</td>"), std::string::npos);
  EXPECT_NE(h.find("<td>K1</td>"), std::string::npos);
  EXPECT_NE(h.find("score 4.50"), std::string::npos);
  // A plot per band: two band names in the census, two SVGs for them plus the timeline's.
  EXPECT_EQ(count(h, "<svg"), 3u);
  EXPECT_EQ(count(h, "<rect"), 13u);  // one bar per census channel
  // A single scan's timeline: one point (two circles: cells and alerts).
  EXPECT_EQ(count(h, "<circle"), 2u);
  EXPECT_NE(h.find("1 sweep "), std::string::npos);
}

TEST(HtmlReport, MonitorTimelineHasOnePointPerSweepAndEvents) {
  auto d = sample();
  for (int i = 0; i < 5; ++i)
    d.timeline.push_back({i + 1, 1'700'000'000'000 + 10'000 * i, 3, i >= 3 ? 1u : 0u, i < 2});
  d.events.push_back({{"type", "alert"}, {"status", "new"}, {"finding", "GSM@64"}, {"score", 4.5}, {"sweep_id", 4},
                      {"reasons", {{{"rule", "T1"}}, {{"rule", "K1"}}}}});
  d.events.push_back({{"type", "alert_cleared"}, {"finding", kHostile}, {"reason", "gone"}, {"sweep_id", 9}});
  const std::string h = tw::output::render_html_report(d);
  expect_well_nested(scan_tags(h));
  EXPECT_EQ(count(h, "<circle"), 10u);
  EXPECT_NE(h.find("5 sweeps"), std::string::npos);
  EXPECT_NE(h.find("<td>alert (new)</td><td>GSM@64</td><td>4.50</td><td>T1 K1</td>"), std::string::npos);
  EXPECT_NE(h.find("<td>alert_cleared</td>"), std::string::npos);
  EXPECT_EQ(h.find("<script"), std::string::npos);
}

TEST(HtmlReport, WrittenAtomicallyAndReplacedWhole) {
  tw::test::TempDir dir;
  const auto path = dir / "report.html";
  tw::output::write_html_report(path, sample());
  const std::string first = tw::test::read_file(path);
  EXPECT_EQ(first, tw::output::render_html_report(sample()));
  auto d = sample();
  d.cells.clear();
  tw::output::write_html_report(path, d);
  EXPECT_EQ(tw::test::read_file(path), tw::output::render_html_report(d));
  // No temporary file left beside it.
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1u);
  EXPECT_THROW(tw::output::write_html_report(dir / "no-such-dir" / "r.html", d), tw::InputError);
}

TEST(HtmlReport, EscapeCoversTheFiveCharactersAndControls) {
  EXPECT_EQ(tw::output::html_escape("a<b>&\"'c"), "a&lt;b&gt;&amp;&quot;&#39;c");
  EXPECT_EQ(tw::output::html_escape(std::string("x\0y\x1b", 4)), "xy");
  EXPECT_EQ(tw::output::html_escape("caf\xC3\xA9"), "caf\xC3\xA9");          // valid UTF-8 kept
  EXPECT_EQ(tw::output::html_escape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/' refused
  EXPECT_EQ(tw::output::html_escape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}
