// The HTML report (src/output/html_report.hpp), checked at parse level: a small tag scanner written here
// walks the page and checks that every opened element is closed in order (void elements aside), that no
// script, external URL or event-handler attribute exists, that every alert with each of its reasons and
// its evidence appears, that raw records appear only inside a collapsed <details>, that hostile strings
// from the air arrive as text, never as markup, and that sections without data are left out.
// Independent truths: the parameter meanings come from the specs (44.018 10.5.2.11 T3212 in 6 min units;
// 45.008 9 CELL_RESELECT_OFFSET in 2 dB steps; 36.300 ECI = eNB id (20 bits) + cell (8 bits)); the
// neighbour relations are the ones the test's records declare.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>
#include <vector>

#include "src/output/html_report.hpp"
#include "support/test_support.hpp"

using nlohmann::json;
using tw::output::ReportData;

namespace {

const std::string kHostile = "</td><script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
const std::string kHostileEscaped =
    "&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;";

json gsm_cell(int arfcn, int ci, const std::string& op, std::vector<int> neighbours) {
  return {{"type", "cell"}, {"rat", "GSM"}, {"arfcn", arfcn}, {"band", "P-GSM900"}, {"mcc", 262}, {"mnc", "01"},
          {"lac", 1234}, {"ci", ci}, {"bsic", 10}, {"power_dbfs", -40.5}, {"snr_db", 21.0}, {"t3212", 10}, {"cro", 0},
          {"si_seen", {"SI1", "SI2", "SI3"}}, {"operator_name", op}, {"neighbors", neighbours}};
}

json alert_for(int arfcn, int bsic, int lac, int ci, double score, json reasons) {
  return {{"type", "alert"},
          {"score", score},
          {"cell", {{"rat", "GSM"}, {"arfcn", arfcn}, {"mcc", 262}, {"mnc", "01"}, {"lac", lac}, {"ci", ci}, {"bsic", bsic}}},
          {"reasons", std::move(reasons)}};
}

// Three cells of one network announcing each other, and a rogue on ARFCN 64 with an empty BA list, a
// short T3212 and a maximal CRO.
ReportData sample() {
  ReportData d;
  d.run.command = "scan";
  d.run.source = "towerwatch-sim " + kHostile;
  d.run.generated_unix_ms = 1'700'000'000'000;
  d.run.bands = {"E-GSM900"};
  d.cells = {gsm_cell(58, 10011, "Operator A", {62, 66}), gsm_cell(62, 10012, kHostile, {58, 66}),
             gsm_cell(66, 10013, "Operator A", {58, 62}), gsm_cell(64, 10099, "rogue\xff\xfe bytes", {})};
  d.cells[3]["bsic"] = 13;
  d.cells[3]["lac"] = 4711;
  d.cells[3]["t3212"] = 1;
  d.cells[3]["cro"] = 63;
  d.alerts.push_back(alert_for(
      64, 13, 4711, 10099, 4.5,
      {{{"rule", "T1"}, {"title", "Short location-update timer"}, {"weight", 1.5}, {"detail", "T3212 = 1 (6 min)"},
        {"evidence", {{"t3212", 1}, {"neighbour_median_t3212", 10}}}},
       {{"rule", "K1"}, {"title", "Empty neighbour list"}, {"weight", 1.0}, {"detail", kHostile},
        {"evidence", {{kHostile, kHostile}}}},
       {{"rule", "K2"}, {"title", "CRO"}, {"weight", 2.0}, {"detail", "CRO 63 = 126 dB"}, {"evidence", {{"cro", 63}}}}}));
  d.alerts.push_back(alert_for(
      58, 10, 1234, 10011, 2.7,
      {{{"rule", "L1"}, {"title", "LAC unlike its neighbours"}, {"weight", 2.7}, {"detail", "LAC 1234 seen nowhere else"},
        {"evidence", {{"lac", 1234}}}}}));
  for (int a = 56; a <= 68; ++a) {
    tw::sweep::ChannelPower p;
    p.arfcn = a;
    p.band = a < 60 ? "P-GSM900" : kHostile;  // band names pass through escaping too
    p.freq_hz = 935e6 + 200e3 * a;
    p.power_dbfs = (a == 58 || a == 62 || a == 64 || a == 66) ? -40.0 : -95.0;
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
  std::size_t pos = 0;
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
    Tag t;
    t.pos = i;
    i = end + 1;
    if (!body.empty() && body[0] == '!') continue;  // doctype
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

// The page with <style> and every <details>...</details> removed: what a reader sees without opening
// anything.
std::string outside_details(const std::string& h) {
  std::string out;
  std::size_t i = 0;
  for (;;) {
    const std::size_t a = std::min(h.find("<details", i), h.find("<style", i));
    if (a == std::string::npos) break;
    out += h.substr(i, a - i);
    const bool style = h.compare(a, 6, "<style") == 0;
    const std::size_t b = h.find(style ? "</style>" : "</details>", a);
    if (b == std::string::npos) return out + "[unclosed]";
    i = b + (style ? 8 : 10);
  }
  return out + h.substr(i);
}

// The alert cards (<section class="card alert">...</section>) in order.
std::vector<std::string> alert_cards(const std::string& h) {
  std::vector<std::string> cards;
  for (std::size_t i = h.find("<section class=\"card alert\">"); i != std::string::npos;
       i = h.find("<section class=\"card alert\">", i + 1))
    cards.push_back(h.substr(i, h.find("</section>", i) - i));
  return cards;
}

// The text of the cell card whose id is "c<index>".
std::string cell_card(const std::string& h, std::size_t index) {
  const std::size_t a = h.find("id=\"c" + std::to_string(index) + "\"");
  if (a == std::string::npos) return "";
  return h.substr(a, h.find("</article>", a) - a);
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
    // No event handler or resource attribute in any tag (an escaped one is text, not inside a tag); links
    // only to fragments of the page itself.
    for (const char* bad : {" on", " src=", " xlink:href", " action=", " formaction="})
      EXPECT_EQ(t.attrs.find(bad), std::string::npos) << "<" << t.name << t.attrs << ">";
    if (const auto p = t.attrs.find(" href="); p != std::string::npos) {
      EXPECT_EQ(t.attrs.compare(p, 8, " href=\"#"), 0) << t.attrs;
    }
  }
  for (const char* bad : {"script", "img", "link", "iframe", "object", "embed", "image", "use", "foreignObject", "base"})
    EXPECT_FALSE(names.count(bad)) << bad;
  for (const char* need : {"html", "head", "body", "style", "svg", "rect", "details", "summary", "dl"})
    EXPECT_TRUE(names.count(need)) << need;
  EXPECT_EQ(h.find("http:"), std::string::npos);
  EXPECT_EQ(h.find("https:"), std::string::npos);
  EXPECT_EQ(h.find("//"), std::string::npos) << "no protocol-relative URL";
  EXPECT_EQ(h.find("@import"), std::string::npos);
  // CSS/SVG references only to elements of the page (the arrowhead markers).
  for (std::size_t i = h.find("url("); i != std::string::npos; i = h.find("url(", i + 1)) EXPECT_EQ(h.compare(i, 5, "url(#"), 0);
  EXPECT_NE(h.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"), std::string::npos);
}

TEST(HtmlReport, HostileStringsAreTextNotMarkup) {
  const std::string h = tw::output::render_html_report(sample());
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("</td><script>"), std::string::npos);
  EXPECT_EQ(h.find("<img"), std::string::npos);
  // Escaped where they appear: the run's source, the cell's operator name (group heading, card-free raw
  // record), the K1 detail, the evidence key and value, the census band name (heading, SVG title, bar tips).
  EXPECT_NE(h.find("<dd>towerwatch-sim " + kHostileEscaped + "</dd>"), std::string::npos);
  EXPECT_NE(h.find("<span class=\"detail\">" + kHostileEscaped + "</span>"), std::string::npos);
  EXPECT_NE(h.find("<dt>" + kHostileEscaped + "</dt><dd>" + kHostileEscaped + "</dd>"), std::string::npos);
  EXPECT_NE(h.find("<h3>" + kHostileEscaped + " <span"), std::string::npos);
  EXPECT_GE(count(h, kHostileEscaped), 10u);
  // Invalid UTF-8 from the air is replaced, not passed on.
  EXPECT_NE(h.find("rogue\xEF\xBF\xBD\xEF\xBF\xBD bytes"), std::string::npos);
  EXPECT_EQ(h.find("\xff"), std::string::npos);
}

TEST(HtmlReport, VerdictCountsSweepsCellsOperatorsAlerts) {
  auto d = sample();
  d.cells.push_back({{"type", "cell"}, {"rat", "LTE"}, {"earfcn", 6300}, {"pci", 7}, {"mcc", 262}, {"mnc", "02"}});
  const std::string h = tw::output::render_html_report(d);
  const std::size_t v = h.find("<section class=\"verdict bad\"");
  ASSERT_NE(v, std::string::npos);
  EXPECT_LT(v, h.find("id=\"alerts\"")) << "the verdict comes first";
  const std::string verdict = h.substr(v, h.find("</section>", v) - v);
  EXPECT_NE(verdict.find("2 alerts"), std::string::npos) << verdict;
  EXPECT_NE(verdict.find("<b>1</b> sweep<"), std::string::npos) << verdict;
  EXPECT_NE(verdict.find("<b>5</b> cells"), std::string::npos) << verdict;
  EXPECT_NE(verdict.find("<b>2</b> operators"), std::string::npos) << verdict;  // 262-01 and 262-02
  d.alerts.clear();
  const std::string calm = tw::output::render_html_report(d);
  EXPECT_EQ(calm.find("verdict bad"), std::string::npos);
  EXPECT_NE(calm.find("No alert"), std::string::npos);
}

TEST(HtmlReport, EveryAlertWithEachReasonInWordsAndItsEvidence) {
  const auto d = sample();
  const std::string h = tw::output::render_html_report(d);
  const auto cards = alert_cards(h);
  ASSERT_EQ(cards.size(), d.alerts.size());
  for (std::size_t k = 0; k < cards.size(); ++k) {
    const json& a = d.alerts[k];
    const std::string& card = cards[k];
    // The cell: its channel links to its card, with LAC and CI.
    const int arfcn = a["cell"]["arfcn"].get<int>();
    EXPECT_NE(card.find("GSM ARFCN " + std::to_string(arfcn) + "</a>"), std::string::npos) << card;
    EXPECT_NE(card.find("CI " + std::to_string(a["cell"]["ci"].get<int>())), std::string::npos) << card;
    EXPECT_EQ(count(card, "<li>"), a["reasons"].size());
    for (const auto& r : a["reasons"]) {
      const std::string rule = r["rule"].get<std::string>();
      EXPECT_NE(card.find("<span class=\"rule\">" + rule + "</span> <b>" + tw::output::html_escape(r["title"].get<std::string>()) + "</b>"),
                std::string::npos) << rule;
      EXPECT_NE(card.find("<span class=\"detail\">" + tw::output::html_escape(r["detail"].get<std::string>()) + "</span>"),
                std::string::npos) << rule;
      for (auto it = r["evidence"].begin(); it != r["evidence"].end(); ++it) {
        const std::string value = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
        EXPECT_NE(card.find("<dt>" + tw::output::html_escape(it.key()) + "</dt><dd>" + tw::output::html_escape(value) + "</dd>"),
                  std::string::npos) << rule << " " << it.key();
      }
    }
  }
  EXPECT_NE(cards[0].find("score 4.50"), std::string::npos);
  EXPECT_NE(cards[0].find("+1.50"), std::string::npos);
  // The alerted cells' cards are marked, the others not.
  for (std::size_t i = 0; i < d.cells.size(); ++i) {
    const bool alerted = d.cells[i]["arfcn"] == 64 || d.cells[i]["arfcn"] == 58;
    EXPECT_EQ(cell_card(h, i).find("ALERT") != std::string::npos, alerted) << i;
  }
}

TEST(HtmlReport, RawRecordsOnlyInsideCollapsedDetails) {
  const auto d = sample();
  const std::string h = tw::output::render_html_report(d);
  // One collapsed <details> per cell (never "open"), holding the record.
  EXPECT_EQ(count(h, "<details><summary>raw record (JSON)</summary><pre>"), d.cells.size());
  EXPECT_EQ(h.find("<details open"), std::string::npos);
  EXPECT_NE(h.find("&quot;type&quot;: &quot;cell&quot;"), std::string::npos);
  const std::string seen = outside_details(h);
  EXPECT_EQ(seen.find("&quot;type&quot;"), std::string::npos);
  EXPECT_EQ(seen.find("&quot;arfcn&quot;"), std::string::npos);
  EXPECT_EQ(seen.find('{'), std::string::npos) << "no JSON object outside <details>";
}

TEST(HtmlReport, ParametersAsLabelValueRowsWithTheirMeaning) {
  const auto d = sample();
  const std::string h = tw::output::render_html_report(d);
  const std::string rogue = cell_card(h, 3);
  EXPECT_NE(rogue.find("<dt>T3212</dt><dd>1 (6 min)</dd>"), std::string::npos) << rogue;                // 44.018 10.5.2.11
  EXPECT_NE(rogue.find("<dt>C2: reselect offset</dt><dd>63 (126 dB)</dd>"), std::string::npos) << rogue;  // 45.008 9
  EXPECT_NE(rogue.find("<dt>BSIC</dt><dd>13 (NCC 1, BCC 5)</dd>"), std::string::npos) << rogue;
  EXPECT_NE(rogue.find("<dt>BA list (SI2)</dt><dd>0: none</dd>"), std::string::npos) << rogue;
  EXPECT_NE(cell_card(h, 0).find("<dt>BA list (SI2)</dt><dd>2: 62, 66</dd>"), std::string::npos);
  EXPECT_NE(cell_card(h, 0).find("<dt>T3212</dt><dd>10 (60 min)</dd>"), std::string::npos);

  ReportData l;
  const long long eci = (0x12345LL << 8) | 0x21;
  l.cells.push_back({{"type", "cell"}, {"rat", "LTE"}, {"earfcn", 6300}, {"band", "B20"}, {"pci", 101}, {"mcc", 262},
                     {"mnc", "02"}, {"tac", 4660}, {"cell_identity", eci},
                     {"q_rx_lev_min_dbm", -124}, {"sib3", {{"cell_reselection_priority", 5}, {"q_hyst_db", 4}}},
                     {"sib4", {{"neighbours", {{{"pci", 102}, {"q_offset_cell_db", 0}}}}}},
                     {"sib5", {{"carriers", {{{"earfcn", 1300}, {"priority", 6}}}}}}});
  const std::string lh = tw::output::render_html_report(l);
  const std::string card = cell_card(lh, 0);
  EXPECT_NE(card.find("<dt>ECI</dt><dd>" + std::to_string(eci) + " (eNB 74565, cell 33)</dd>"), std::string::npos) << card;
  EXPECT_NE(card.find("<dt>TAC</dt><dd>4660</dd>"), std::string::npos);
  EXPECT_NE(card.find("<dt>PCI</dt><dd>101</dd>"), std::string::npos);
  EXPECT_NE(card.find("<dt>q-RxLevMin</dt><dd>-124 dBm</dd>"), std::string::npos);
  EXPECT_NE(card.find("<dt>priority</dt><dd>5</dd>"), std::string::npos);
  EXPECT_NE(card.find("<dt>intra-frequency PCIs (SIB4)</dt><dd>102</dd>"), std::string::npos);
  EXPECT_NE(card.find("<dt>inter-frequency carriers (SIB5)</dt><dd>EARFCN 1300 (priority 6)</dd>"), std::string::npos);
}

TEST(HtmlReport, CellsGroupedByOperatorAndBandWithNamesFromRecordOrLookup) {
  auto d = sample();
  d.cells.push_back({{"type", "cell"}, {"rat", "GSM"}, {"arfcn", 700}, {"band", "DCS1800"}, {"mcc", 262}, {"mnc", "03"}});
  d.cells.push_back({{"type", "cell"}, {"rat", "GSM"}, {"arfcn", 20}, {"band", "P-GSM900"}});  // no SI3: PLMN unknown
  int calls = 0;
  d.operator_name = [&](int mcc, const std::string& mnc) -> std::optional<std::string> {
    ++calls;
    if (mcc == 262 && mnc == "03") return std::string("Net <Drei> & Co");
    return std::nullopt;
  };
  const std::string h = tw::output::render_html_report(d);
  EXPECT_GT(calls, 0);
  // 262-01 takes the name its first record carries; 262-03 the lookup's (escaped); the unknown PLMN its own group.
  EXPECT_NE(h.find("<h3>MCC-MNC 262-01 &#183; Operator A <span class=\"small\">4 cells, 2 alerts</span></h3>"), std::string::npos);
  EXPECT_NE(h.find("<h3>MCC-MNC 262-03 &#183; Net &lt;Drei&gt; &amp; Co <span class=\"small\">1 cell</span></h3>"), std::string::npos);
  EXPECT_NE(h.find("<h3>PLMN unknown (no SI3/SIB1 decoded) <span class=\"small\">1 cell</span></h3>"), std::string::npos);
  EXPECT_NE(h.find("<h4>GSM P-GSM900 <span class=\"small\">4 cells</span></h4>"), std::string::npos);
  EXPECT_NE(h.find("<h4>GSM DCS1800 <span class=\"small\">1 cell</span></h4>"), std::string::npos);
  // Within a band, cells by channel: 58, 62, 64, 66.
  const std::size_t g = h.find("<h4>GSM P-GSM900 <span class=\"small\">4 cells");
  std::size_t last = g;
  for (int ci : {10011, 10012, 10099, 10013}) {
    const std::size_t p = h.find("&#183; CI " + std::to_string(ci), g);
    EXPECT_GT(p, last) << ci;
    last = p;
  }
  // The alert heading names the operator too.
  EXPECT_NE(alert_cards(h)[0].find("262-01 rogue\xEF\xBF\xBD\xEF\xBF\xBD bytes"), std::string::npos);
  EXPECT_NE(alert_cards(h)[1].find("262-01 Operator A"), std::string::npos);
}

TEST(HtmlReport, NeighbourGraphShowsWhoAnnouncesWhomAndTheLoner) {
  const auto d = sample();
  const std::string h = tw::output::render_html_report(d);
  const std::size_t a = h.find("id=\"neighbours\"");
  ASSERT_NE(a, std::string::npos);
  const std::string g = h.substr(a, h.find("</svg>", a) - a);
  // 58, 62 and 66 announce each other: six arrows; the rogue (64) none.
  EXPECT_EQ(count(g, "marker-end="), 6u);
  EXPECT_NE(g.find("standing alone: no neighbour relation"), std::string::npos);
  EXPECT_NE(g.find("<title>GSM ARFCN 64 262-01 CI 10099: announces 0, announced by 0</title>"), std::string::npos);
  EXPECT_NE(g.find("<title>GSM ARFCN 58 262-01 CI 10011: announces 2, announced by 2</title>"), std::string::npos);
  EXPECT_NE(h.find("Announced by no observed cell (dashed outline): GSM ARFCN 64 <span class=\"tag red\">ALERT</span></p>"),
            std::string::npos);
  // LTE: SIB5 announces a carrier (every cell on it), SIB4 a PCI on the own carrier; GSM SI2 an LTE? no.
  ReportData l;
  l.cells.push_back({{"rat", "LTE"}, {"earfcn", 6300}, {"pci", 1}, {"sib4", {{"neighbours", {{{"pci", 2}}}}}},
                     {"sib5", {{"carriers", {{{"earfcn", 1300}}}}}}});
  l.cells.push_back({{"rat", "LTE"}, {"earfcn", 6300}, {"pci", 2}, {"sib4", {{"neighbours", json::array()}}}});
  l.cells.push_back({{"rat", "LTE"}, {"earfcn", 6300}, {"pci", 3}, {"sib4", {{"neighbours", json::array()}}}});
  l.cells.push_back({{"rat", "LTE"}, {"earfcn", 1300}, {"pci", 4}});
  const std::string lh = tw::output::render_html_report(l);
  EXPECT_EQ(count(lh, "marker-end="), 2u);  // 1 -> 2 (SIB4), 1 -> 4 (SIB5); 3 unlisted
  EXPECT_NE(lh.find("<title>LTE EARFCN 6300 PCI 3 PCI 3: announces 0, announced by 0</title>"), std::string::npos);
  // No neighbour list decoded anywhere: no graph.
  auto bare = sample();
  for (auto& c : bare.cells) c.erase("neighbors");
  EXPECT_EQ(tw::output::render_html_report(bare).find("id=\"neighbours\""), std::string::npos);
}

TEST(HtmlReport, SpectrumPerBandLabelsCellsAndAlerts) {
  const auto d = sample();
  const std::string h = tw::output::render_html_report(d);
  ASSERT_NE(h.find("id=\"spectrum\""), std::string::npos);
  // Two band names in the census: two plots, one bar per census channel.
  const std::size_t a = h.find("id=\"spectrum\"");
  const std::string s = h.substr(a, h.find("<h2", a) - a);
  EXPECT_EQ(count(s, "<rect"), 13u);
  EXPECT_EQ(count(s, "<svg"), 2u);
  EXPECT_NE(h.find("<h3>P-GSM900 <span class=\"small\">4 channels, 1 with a decoded cell</span></h3>"), std::string::npos);
  EXPECT_NE(h.find(">ALERT 64</text>"), std::string::npos);   // the rogue's channel labelled as an alert
  EXPECT_NE(h.find(">ALERT 58</text>"), std::string::npos);
  EXPECT_NE(h.find(">62</text>"), std::string::npos);         // a decoded cell labelled by its channel
  // A wide band with one cell: its part of the band is drawn (8 channels either side), the rest named.
  auto w = sample();
  w.census.clear();
  for (int a = 600; a < 700; ++a) {
    tw::sweep::ChannelPower p;
    p.arfcn = a;
    p.band = "DCS1800";
    p.freq_hz = 1805.2e6 + 200e3 * (a - 512);
    p.power_dbfs = a == 650 ? -50.0 : -95.0;
    p.noise_floor_dbfs = -96.0;
    w.census.push_back(p);
  }
  w.cells.push_back({{"type", "cell"}, {"rat", "GSM"}, {"arfcn", 650}, {"band", "DCS1800"}, {"mcc", 262}, {"mnc", "03"}});
  const std::string wh = tw::output::render_html_report(w);
  EXPECT_NE(wh.find("<h3>DCS1800 <span class=\"small\">100 channels, 1 with a decoded cell, channels 642&#8211;658 drawn "
                    "(the others show no signal)</span></h3>"), std::string::npos);
  const std::size_t sa = wh.find("id=\"spectrum\"");
  EXPECT_EQ(count(wh.substr(sa, wh.find("</svg>", sa) - sa), "<rect"), 17u);
}

TEST(HtmlReport, SectionsWithoutDataAreLeftOut) {
  auto d = sample();
  std::string h = tw::output::render_html_report(d);
  // A single scan: no timeline, no events, no map (no positions anywhere).
  for (const char* id : {"timeline", "events", "map"}) EXPECT_EQ(h.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  d.census.clear();
  h = tw::output::render_html_report(d);
  EXPECT_EQ(h.find("id=\"spectrum\""), std::string::npos);
  EXPECT_EQ(h.find("href=\"#spectrum\""), std::string::npos);
  d.cells.clear();
  d.alerts.clear();
  h = tw::output::render_html_report(d);
  EXPECT_EQ(h.find("id=\"neighbours\""), std::string::npos);
  EXPECT_NE(h.find("No cell decoded."), std::string::npos);
  EXPECT_EQ(h.find("<svg"), std::string::npos);
}

TEST(HtmlReport, MapOfTrackObservationsAndEstimatedPositions) {
  auto d = sample();
  d.cells[0]["lat"] = 52.52;
  d.cells[0]["lon"] = 13.40;
  d.cells[3]["estimated_position"] = {{"lat", 52.53}, {"lon", 13.41}};
  d.cells[1]["lat"] = "52.5";  // not a number: ignored
  d.cells[2]["position"] = {{"lat", 95.0}, {"lon", 13.4}};  // out of range: ignored
  for (int i = 0; i < 5; ++i) d.track.push_back({52.515 + 0.002 * i, 13.395 + 0.003 * i, 1'700'000'000'000 + 1000 * i, "", false});
  d.cell_positions.push_back({52.51, 13.42, 0, kHostile, false});
  const std::string h = tw::output::render_html_report(d);
  const std::size_t a = h.find("id=\"map\"");
  ASSERT_NE(a, std::string::npos);
  const std::string m = h.substr(a, h.find("</svg>", a) - a);
  EXPECT_NE(m.find("5 track points, 1 observations, 2 estimated cell positions"), std::string::npos) << m.substr(0, 400);
  EXPECT_EQ(count(m, "<polyline"), 1u);
  EXPECT_NE(m.find("<title>observed GSM ARFCN 58</title>"), std::string::npos);
  EXPECT_NE(m.find("<title>GSM ARFCN 64 (estimated position)</title>"), std::string::npos);
  EXPECT_NE(m.find(kHostileEscaped + " (estimated position)"), std::string::npos);
  // The rogue's estimated position is drawn red; east lies right, north up.
  const std::regex tri(R"re(<path d="M([0-9.]+),([0-9.]+)l7,12h-14z" fill="#c62828"><title>GSM ARFCN 64)re");
  std::smatch sm;
  ASSERT_TRUE(std::regex_search(m, sm, tri));
  const std::regex obs(R"re(<circle cx="([0-9.]+)" cy="([0-9.]+)" r="4"[^>]*><title>observed GSM ARFCN 58)re");
  std::smatch so;
  ASSERT_TRUE(std::regex_search(m, so, obs));
  EXPECT_GT(std::stod(sm[1]), std::stod(so[1]));       // 13.41 east of 13.40
  EXPECT_LT(std::stod(sm[2]) + 9, std::stod(so[2]));   // 52.53 north of 52.52 (triangle tip 9 px above)
}

TEST(HtmlReport, MonitorTimelineHasOneBarPerSweepAndEvents) {
  auto d = sample();
  for (int i = 0; i < 5; ++i)
    d.timeline.push_back({i + 1, 1'700'000'000'000 + 10'000 * i, 3, i >= 3 ? 1u : 0u, i < 2});
  d.events.push_back({{"type", "alert"}, {"status", "new"}, {"finding", "GSM@64"}, {"score", 4.5}, {"sweep_id", 4},
                      {"reasons", {{{"rule", "T1"}}, {{"rule", "K1"}}}}});
  d.events.push_back({{"type", "alert_cleared"}, {"finding", kHostile}, {"reason", "gone"}, {"sweep_id", 5}});
  const std::string h = tw::output::render_html_report(d);
  expect_well_nested(scan_tags(h));
  const std::size_t a = h.find("id=\"timeline\"");
  ASSERT_NE(a, std::string::npos);
  const std::string t = h.substr(a, h.find("</svg>", a) - a);
  EXPECT_NE(t.find("5 sweeps, 2 with alerts."), std::string::npos);
  EXPECT_EQ(count(t, "fill=\"#9cc3e6\"><title>"), 5u);   // cells per sweep
  EXPECT_EQ(count(t, "fill=\"#c62828\"><title>sweep"), 2u);  // alerts in sweeps 4 and 5
  EXPECT_EQ(count(t, "fill=\"#e3efd2\"/>"), 2u);  // learning: sweeps 1 and 2
  EXPECT_NE(t.find("<title>alert GSM@64 (sweep 4)</title>"), std::string::npos);
  EXPECT_NE(t.find("<title>cleared " + kHostileEscaped + " (sweep 5)</title>"), std::string::npos);
  EXPECT_NE(h.find("<b>5</b> sweeps"), std::string::npos);
  EXPECT_NE(h.find("<td>alert (new)</td><td>GSM@64</td><td>4.50</td><td>T1 K1</td>"), std::string::npos);
  EXPECT_NE(h.find("<td>alert_cleared</td>"), std::string::npos);
  EXPECT_EQ(h.find("<script"), std::string::npos);
}

// Records and alerts of the wrong shape (every field a wrong type, nested values where scalars belong, not
// even objects) give a well-formed page, never an exception.
TEST(HtmlReport, WrongShapesNeverThrow) {
  ReportData d;
  const json odd = json::array({1, "x", nullptr, json::object({{"a", json::array()}})});
  json bad = json::object();
  for (const char* k : {"rat", "arfcn", "earfcn", "pci", "bsic", "mcc", "mnc", "lac", "ci", "tac", "cell_identity", "band",
                        "neighbors", "sib3", "sib4", "sib5", "sib7", "si2quater", "cell_barred", "power_dbfs", "lat", "lon",
                        "estimated_position", "position", "paging", "immediate_assignment", "operator", "t3212", "cro"})
    bad[k] = odd;
  d.cells = {bad, json(42), json("cell"), json(nullptr), json::array(), {{"rat", "LTE"}, {"sib4", {{"neighbours", odd}}},
                                                                         {"sib5", {{"carriers", odd}}}}};
  d.alerts = {bad, json(1), {{"cell", odd}, {"reasons", odd}}, {{"cell", bad}, {"reasons", {bad, odd}}, {"score", "high"}}};
  d.events = {bad, json(7), {{"type", odd}, {"reasons", odd}, {"time_unix_ms", -5}}};
  d.timeline = {{1, 0, 0, 0, false}, {2, 0, 0, 0, true}};  // no time: placed by order
  d.track = {{std::nan(""), 13.0, 0, "", false}, {91.0, 0.0, 0, "", false}};  // invalid: no map
  std::string h;
  ASSERT_NO_THROW(h = tw::output::render_html_report(d));
  expect_well_nested(scan_tags(h));
  EXPECT_EQ(h.find("id=\"map\""), std::string::npos);
  EXPECT_EQ(alert_cards(h).size(), d.alerts.size());
}

TEST(HtmlReport, SameDataSameBytes) {
  EXPECT_EQ(tw::output::render_html_report(sample()), tw::output::render_html_report(sample()));
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
