// The operator list (src/cells/operator_names.hpp) and its XML reader (src/cells/mini_xml.hpp).
// Truths: the XML each test writes (which provider lists which PLMN, which is primary); for the real Debian
// list, libxml2's xmllint (a peer XML implementation) reading the same file; for malformed input, the rule
// that every violation is a tw::InputError naming the file and line, never a crash or another exception.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>

#include "src/cells/mini_xml.hpp"
#include "src/cells/operator_names.hpp"
#include "src/core/error.hpp"
#include "support/test_support.hpp"

namespace {

using tw::cells::OperatorTable;

constexpr const char* kDebianList = "/usr/share/mobile-broadband-provider-info/serviceproviders.xml";

// The structure of the Debian file (serviceproviders.2.dtd), with the cases the reader must get right: an
// MVNO listed before its host, a primary provider with fewer network ids than an MVNO, names with and
// without xml:lang, an APN <name> inside <gsm> (not the provider's), a 4-digit MNC, references, a CDMA-only
// provider. No trailing newline: every proper prefix of it is a truncated document.
const std::string kListXml =
    "<?xml version=\"1.0\" encoding='utf-8'?>\n"
    "<!-- test list -->\n"
    "<!DOCTYPE serviceproviders SYSTEM \"serviceproviders.2.dtd\">\n"
    "<serviceproviders format=\"2.0\">\n"
    "<country code=\"XA\">\n"
    "  <name>Testland</name>\n"
    "  <name xml:lang=\"de\">Testlandia</name>\n"
    "  <provider>\n"
    "    <name xml:lang=\"de\">Virtuell DE</name>\n"
    "    <name>Virtual &amp; Co</name>\n"
    "    <gsm><network-id mcc=\"901\" mnc=\"70\"/>\n"
    "      <apn value=\"x\"><name>APN name</name></apn>\n"
    "    </gsm>\n"
    "  </provider>\n"
    "  <provider>\n"
    "    <name>  Host \n  Network </name>\n"
    "    <gsm><network-id mcc=\"901\" mnc=\"70\"/><network-id mcc=\"901\" mnc=\"71\"/>"
    "<network-id mcc=\"901\" mnc=\"0712\"/></gsm>\n"
    "  </provider>\n"
    "  <provider primary=\"true\"><name>Primary Op</name><gsm><network-id mcc='902' mnc='001'/></gsm></provider>\n"
    "  <provider><name>Big MVNO</name><gsm><network-id mcc=\"902\" mnc=\"001\"/><network-id mcc=\"902\" "
    "mnc=\"002\"/><network-id mcc=\"902\" mnc=\"003\"/></gsm></provider>\n"
    "  <provider><name>CDMA only</name><cdma><sid value=\"1\"/></cdma></provider>\n"
    "</country>\n"
    "<country code=\"xb\"><name>Other</name>\n"
    "  <provider><name>&#x54;&#101;st\xC3\xA9<![CDATA[ <x>]]></name><gsm><network-id mcc=\"903\" mnc=\"05\"/></gsm></provider>\n"
    "</country>\n"
    "</serviceproviders>";

TEST(OperatorList, TestListLookups) {
  const auto t = OperatorTable::from_xml(kListXml, "test.xml");
  EXPECT_EQ(t.plmn_count(), 6u);        // 901-70, 901-71, 902-001, 902-002, 902-003, 903-05
  EXPECT_EQ(t.skipped_entries(), 1u);   // 901-0712: 4 digits
  // 901-70: the host (two network ids) before the MVNO listed first; the MVNO's plain name among the others.
  auto a = t.lookup("901", "70");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->name, "Host Network");
  EXPECT_EQ(a->others, std::vector<std::string>{"Virtual & Co"});
  EXPECT_EQ(a->country_code, "xa");
  EXPECT_EQ(a->country, "Testland");
  EXPECT_EQ(t.lookup("901", "71")->name, "Host Network");
  // primary="true" wins over more network ids.
  EXPECT_EQ(t.lookup("902", "001")->name, "Primary Op");
  EXPECT_EQ(t.lookup("902", "001")->others, std::vector<std::string>{"Big MVNO"});
  EXPECT_EQ(t.lookup("902", "002")->name, "Big MVNO");
  // By value: "01" is 001 when no exact entry exists.
  EXPECT_EQ(t.lookup("902", "01")->name, "Primary Op");
  // Character references, UTF-8 and CDATA in a name; the second country.
  EXPECT_EQ(t.lookup("903", "05")->name, "Test\xC3\xA9 <x>");
  EXPECT_EQ(t.lookup("903", "05")->country, "Other");
  EXPECT_FALSE(t.lookup("901", "99"));
  EXPECT_FALSE(t.lookup("901", "7"));      // 1 digit: no MNC
  EXPECT_FALSE(t.lookup("9x1", "70"));
  EXPECT_FALSE(t.lookup("901", "0712"));
  EXPECT_TRUE(t.mcc_has_operators("901"));
  EXPECT_FALSE(t.mcc_has_operators("904"));
  EXPECT_TRUE(t.plmn_known("903", "05"));
  EXPECT_EQ(t.mncs_of("902"), (std::vector<std::string>{"001", "002", "003"}));
}

// ---- the real list, read by xmllint as the peer ----

std::string run_capture(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

bool have_xmllint() { return run_capture("command -v xmllint").find("xmllint") != std::string::npos; }

std::string unescape(std::string s) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  }
  return s;
}

// The provider names (without xml:lang) xmllint finds for a PLMN; `extra` narrows the providers.
std::vector<std::string> xmllint_names(const std::string& mcc, const std::string& mnc, const std::string& extra = "") {
  const std::string xpath = "//provider" + extra + "[gsm/network-id[@mcc='" + mcc + "' and @mnc='" + mnc +
                            "']]/name[not(@xml:lang)]";
  const std::string out = run_capture("xmllint --xpath \"" + xpath + "\" " + kDebianList + " 2>/dev/null");
  std::vector<std::string> names;
  static const std::regex re("<name>([^<]*)</name>");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), re); it != std::sregex_iterator(); ++it)
    names.push_back(unescape((*it)[1].str()));
  return names;
}

std::string collapse(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      if (!o.empty() && o.back() != ' ') o.push_back(' ');
    } else {
      o.push_back(c);
    }
  }
  while (!o.empty() && o.back() == ' ') o.pop_back();
  return o;
}

TEST(OperatorList, DebianListAgreesWithXmllint) {
  if (!std::filesystem::exists(kDebianList)) {
    if (tw::test::running_in_ci()) FAIL() << kDebianList << " missing (tools/bootstrap.sh installs it)";
    GTEST_SKIP() << kDebianList << " not installed (Debian package mobile-broadband-provider-info)";
  }
  if (!have_xmllint()) {
    if (tw::test::running_in_ci()) FAIL() << "xmllint missing (tools/bootstrap.sh installs libxml2-utils)";
    GTEST_SKIP() << "xmllint not installed (libxml2-utils)";
  }
  const auto t = OperatorTable::from_file(kDebianList);
  // Every PLMN of a <provider><gsm><network-id> that xmllint reads, and no other.
  const std::string ids = run_capture(std::string("xmllint --xpath \"//provider/gsm/network-id\" ") + kDebianList);
  static const std::regex id_re("<network-id mcc=\"([^\"]*)\" mnc=\"([^\"]*)\"/>");
  std::set<std::pair<std::string, std::string>> plmns;
  std::size_t invalid = 0;
  for (auto it = std::sregex_iterator(ids.begin(), ids.end(), id_re); it != std::sregex_iterator(); ++it) {
    const std::string mcc = (*it)[1], mnc = (*it)[2];
    if (std::regex_match(mcc, std::regex("[0-9]{3}")) && std::regex_match(mnc, std::regex("[0-9]{2,3}"))) plmns.insert({mcc, mnc});
    else ++invalid;
  }
  ASSERT_GT(plmns.size(), 300u) << "xmllint found too few network ids";
  EXPECT_EQ(t.plmn_count(), plmns.size());
  EXPECT_EQ(t.skipped_entries(), invalid);
  for (const auto& [mcc, mnc] : plmns) EXPECT_TRUE(t.plmn_known(mcc, mnc)) << mcc << "-" << mnc;

  // Names: for every PLMN of Germany (262, the project's test scenes) and France (208): the name is one of the providers xmllint lists for it, the others are the rest, and a provider
  // marked primary is the name.
  int checked = 0;
  for (const auto& [mcc, mnc] : plmns) {
    if (mcc != "262" && mcc != "208") continue;
    std::vector<std::string> peer = xmllint_names(mcc, mnc);
    for (auto& n : peer) n = collapse(n);
    const auto op = t.lookup(mcc, mnc);
    ASSERT_TRUE(op) << mcc << "-" << mnc;
    std::set<std::string> ours(op->others.begin(), op->others.end());
    ours.insert(op->name);
    EXPECT_EQ(ours, std::set<std::string>(peer.begin(), peer.end())) << mcc << "-" << mnc;
    const auto primary = xmllint_names(mcc, mnc, "[@primary='true']");
    if (!primary.empty()) {
      EXPECT_EQ(op->name, collapse(primary.front())) << mcc << "-" << mnc;
    }
    ++checked;
  }
  EXPECT_GE(checked, 10);
  // 262-01 (the test scenes' first operator): the name of a provider that xmllint lists for it, of country de.
  const auto dt = t.lookup("262", "01");
  ASSERT_TRUE(dt);
  const auto peer = xmllint_names("262", "01");
  EXPECT_NE(std::find(peer.begin(), peer.end(), dt->name), peer.end()) << dt->name;
  const std::string code = run_capture(std::string("xmllint --xpath \"string(//country[provider/gsm/network-id[@mcc='262' and "
                                                   "@mnc='01']]/@code)\" ") + kDebianList);
  EXPECT_EQ(dt->country_code, collapse(code));
  // The scenes' rogue PLMN 262-99 is not in the list while MCC 262 is (what rule M3 relies on).
  EXPECT_TRUE(xmllint_names("262", "99").empty());
  EXPECT_FALSE(t.plmn_known("262", "99"));
  EXPECT_TRUE(t.mcc_has_operators("262"));
}

TEST(OperatorList, TruncatedDebianListIsAnErrorNamingTheFile) {
  if (!std::filesystem::exists(kDebianList)) GTEST_SKIP() << kDebianList << " not installed";
  const std::string doc = tw::test::read_file(kDebianList);
  for (std::size_t cut : {doc.size() / 2, doc.size() - 30, std::size_t{200}})
    tw::test::expect_input_error([&] { OperatorTable::from_xml(doc.substr(0, cut), "cut.xml"); }, {"cut.xml: line "});
}

// ---- malformed input ----

TEST(OperatorList, EveryTruncationOfTheTestListIsAnInputError) {
  for (std::size_t n = 0; n < kListXml.size(); ++n) {
    try {
      OperatorTable::from_xml(std::string_view(kListXml).substr(0, n), "t.xml");
      ADD_FAILURE() << "prefix of " << n << " bytes accepted";
    } catch (const tw::InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("t.xml: line ", 0), 0u) << e.what();
    }
  }
}

TEST(OperatorList, RandomCorruptionsGiveAListOrAnInputErrorOnly) {
  std::mt19937 rng(20261203);
  int errors = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string d = kListXml;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) {
      const std::size_t at = rng() % d.size();
      switch (rng() % 3) {
        case 0: d[at] = static_cast<char>(rng() & 0xFF); break;
        case 1: d.erase(at, 1 + rng() % 8); break;
        default: d.insert(at, 1, "<>&'\"/=![]"[rng() % 10]); break;
      }
    }
    try {
      const auto t = OperatorTable::from_xml(d, "fuzz.xml");
      EXPECT_LE(t.plmn_count(), 8u);
    } catch (const tw::InputError&) {
      ++errors;
    }
  }
  EXPECT_GT(errors, 1000);   // most corruptions break the document
}

void expect_refused(const std::string& doc, const std::string& what, const tw::xml::Limits& lim = {}) {
  SCOPED_TRACE(what);
  tw::test::expect_input_error(
      [&] { tw::xml::parse(doc, "bad.xml", [](const tw::xml::Event&) {}, lim); }, {"bad.xml: line ", what});
}

TEST(OperatorList, MalformedDocumentsAreRefusedWithTheReason) {
  // Entities: an internal subset could declare them (billion laughs, external entities): refused; an
  // undeclared entity is an error, not an empty string.
  expect_refused("<!DOCTYPE a [<!ENTITY x \"xx\"><!ENTITY y \"&x;&x;\">]><a>&y;</a>", "internal subset");
  expect_refused("<!DOCTYPE a SYSTEM \"http://example.invalid/a.dtd\"><a>&xxe;</a>", "undefined entity &xxe;");
  expect_refused("<a>&#0;</a>", "not an XML character");
  expect_refused("<a>&#x110000;</a>", "not an XML character");
  expect_refused("<a>&#x12345678;</a>", "bad character reference");
  expect_refused("<a>AT&T</a>", "not starting a reference");
  expect_refused("<a>\x01</a>", "U+01");
  expect_refused("<a>\xFF</a>", "invalid UTF-8");
  expect_refused("<a>\xC0\xAF</a>", "invalid UTF-8");
  expect_refused("<a>\xE0\x80\xAF</a>", "overlong");
  expect_refused("<a>\xED\xA0\x80</a>", "not allowed");   // a UTF-16 surrogate
  expect_refused("<a><b></a></b>", "does not match <b>");
  expect_refused("<a/><b/>", "second root");
  expect_refused("<a>x</a>y", "text outside the root");
  expect_refused("<a x=1/>", "not quoted");
  expect_refused("<a x='1' x='2'/>", "repeated");
  expect_refused("<a x='<'/>", "'<' in the value");
  expect_refused("<a x='1'y='2'/>", "expected a space");
  expect_refused("</a>", "without a start tag");
  expect_refused("", "no root element");
  expect_refused("<a><!-- open", "unterminated comment");
  expect_refused("<a><![CDATA[ open", "unterminated CDATA");
  expect_refused("<a></a><!DOCTYPE a>", "DOCTYPE not before the root");
  expect_refused("<a><b", "truncated");
  // Limits: size, depth, attributes, text.
  tw::xml::Limits small;
  small.max_bytes = 64;
  expect_refused("<a>" + std::string(100, 'x') + "</a>", "larger than the limit", small);
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  expect_refused(deep, "nested deeper than 32");
  std::string many = "<a";
  for (int i = 0; i < 40; ++i) many += " a" + std::to_string(i) + "='1'";
  expect_refused(many + "/>", "too many attributes");
  tw::xml::Limits short_text;
  short_text.max_text = 16;
  expect_refused("<a>" + std::string(40, 'x') + "</a>", "text longer than the limit", short_text);
  expect_refused("<" + std::string(200, 'a') + "/>", "name longer than 128");
  // Well-formed but not the list.
  tw::test::expect_input_error([] { OperatorTable::from_xml("<html><body/></html>", "x.xml"); },
                               {"x.xml: line 1", "not <serviceproviders>"});
}

TEST(OperatorList, FilesMissingOrTooLargeAreErrorsNamingThem) {
  tw::test::TempDir dir;
  tw::test::expect_input_error([&] { OperatorTable::from_file(dir / "none.xml"); }, {"none.xml", "cannot read"});
  const auto big = dir / "big.xml";
  tw::test::write_file(big, "<serviceproviders>");
  std::filesystem::resize_file(big, 40u << 20);   // sparse: nothing is read
  tw::test::expect_input_error([&] { OperatorTable::from_file(big); }, {"big.xml", "larger than the limit"});
  const auto good = dir / "ok.xml";
  tw::test::write_file(good, kListXml);
  EXPECT_EQ(OperatorTable::from_file(good).plmn_count(), 6u);
}

TEST(OperatorList, ReservedMccsAndLabels) {
  // ITU-T E.212: 001 test networks, 999 internal use (built in, list or not).
  EXPECT_STREQ(tw::cells::reserved_mcc(1), "test network");
  EXPECT_STREQ(tw::cells::reserved_mcc(999), "internal use");
  EXPECT_EQ(tw::cells::reserved_mcc(262), nullptr);
  EXPECT_EQ(tw::cells::operator_label(1, "01"), "test network (E.212 MCC 001)");
  EXPECT_EQ(tw::cells::mcc_string(1), "001");
  EXPECT_EQ(tw::cells::mcc_string(262), "262");
  EXPECT_EQ(tw::cells::mcc_string(1000), "");
  EXPECT_FALSE(tw::cells::lookup_operator(-5, "01"));
  // The process-wide list: the Debian file here (TW_PROVIDERS_XML unset), its 262-01 name in the label.
  const auto& info = tw::cells::operator_list_info();
  if (!info.loaded) GTEST_SKIP() << "no operator list: " << info.error;
  const auto op = tw::cells::lookup_operator(262, "01");
  ASSERT_TRUE(op);
  EXPECT_EQ(tw::cells::operator_label(262, "01"), op->name);
  EXPECT_EQ(tw::cells::operator_label(262, "99"), "unknown operator");
}

}  // namespace
