#include "src/cells/operator_names.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "src/cells/mini_xml.hpp"
#include "src/core/error.hpp"
#include "src/core/log.hpp"

namespace tw::cells {

namespace {

constexpr const char* kDefaultPath = "/usr/share/mobile-broadband-provider-info/serviceproviders.xml";
constexpr std::size_t kMaxFileBytes = 32u << 20;   // the 2023 list is 0.36 MB
constexpr std::size_t kMaxNameBytes = 96;

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

// MCC "262" (also "1" for 001: cell records keep the MCC as a number); "" when not 1..3 digits.
std::string norm_mcc(std::string_view mcc) {
  if (mcc.size() > 3 || !all_digits(mcc)) return {};
  std::string s(3, '0');
  s.replace(3 - mcc.size(), mcc.size(), mcc);
  return s;
}
bool valid_mnc(std::string_view mnc) { return (mnc.size() == 2 || mnc.size() == 3) && all_digits(mnc); }
int mnc_value(std::string_view mnc) {
  int v = 0;
  for (char c : mnc) v = v * 10 + (c - '0');
  return v;
}

// White space runs become one space, trimmed; at most kMaxNameBytes, cut at a UTF-8 character boundary.
std::string clean_name(const std::string& raw) {
  std::string s;
  for (char c : raw) {
    const bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (ws) {
      if (!s.empty() && s.back() != ' ') s.push_back(' ');
    } else {
      s.push_back(c);
    }
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.size() > kMaxNameBytes) {
    std::size_t n = kMaxNameBytes;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;   // s[n] starts the cut character
    s.resize(n);
  }
  return s;
}

struct Provider {
  std::string name;
  bool name_has_lang = true;   // the name kept so far carries xml:lang (a name without it replaces it)
  bool primary = false;
  std::string country_code, country;
  std::vector<std::string> plmns;   // "262-01"
};

}  // namespace

OperatorTable OperatorTable::from_xml(std::string_view doc, const std::string& where) {
  OperatorTable t;
  std::vector<Provider> providers;
  std::vector<std::string> path;   // open elements
  std::string country_code, country;
  bool country_name_has_lang = true;
  std::optional<Provider> cur;
  std::string text;                // character data of the open <name>
  bool name_lang = false;
  xml::parse(doc, where, [&](const xml::Event& e) {
    using K = xml::Event::Kind;
    if (e.kind == K::text) {
      if (!path.empty() && path.back() == "name") text += e.text;
      return;
    }
    if (e.kind == K::start) {
      if (path.empty() && e.name != "serviceproviders")
        throw InputError(where + ": line " + std::to_string(e.line) + ": root element <" + e.name +
                         "> is not <serviceproviders> (mobile-broadband-provider-info)");
      const std::string parent = path.empty() ? "" : path.back();
      path.push_back(e.name);
      if (e.name == "country" && parent == "serviceproviders") {
        const std::string* code = e.attribute("code");
        country_code.clear();
        if (code && code->size() == 2 && std::isalpha(static_cast<unsigned char>((*code)[0])) &&
            std::isalpha(static_cast<unsigned char>((*code)[1])))
          for (char c : *code) country_code.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        country.clear();
        country_name_has_lang = true;
      } else if (e.name == "provider" && parent == "country") {
        cur.emplace();
        const std::string* primary = e.attribute("primary");
        cur->primary = primary && *primary == "true";
        cur->country_code = country_code;
      } else if (e.name == "name") {
        text.clear();
        name_lang = e.attribute("xml:lang") != nullptr;
      } else if (e.name == "network-id" && cur && path.size() >= 3 && path[path.size() - 2] == "gsm" &&
                 path[path.size() - 3] == "provider") {
        const std::string* mcc = e.attribute("mcc");
        const std::string* mnc = e.attribute("mnc");
        // TS 23.003 2.2: MCC 3 digits, MNC 2 or 3 digits; anything else (the 2023 list has three 4-digit
        // MNCs) names no PLMN that a cell can broadcast.
        if (mcc && mnc && mcc->size() == 3 && all_digits(*mcc) && valid_mnc(*mnc)) {
          const std::string key = *mcc + "-" + *mnc;
          bool dup = false;
          for (const auto& p : cur->plmns) dup = dup || p == key;
          if (!dup) cur->plmns.push_back(key);
        } else {
          ++t.skipped_;
        }
      }
      return;
    }
    // end
    const std::string parent = path.size() >= 2 ? path[path.size() - 2] : "";
    if (e.name == "name") {
      const std::string n = clean_name(text);
      if (!n.empty() && parent == "provider" && cur && (cur->name.empty() || (cur->name_has_lang && !name_lang))) {
        cur->name = n;
        cur->name_has_lang = name_lang;
      } else if (!n.empty() && parent == "country" && (country.empty() || (country_name_has_lang && !name_lang))) {
        country = n;
        country_name_has_lang = name_lang;
      }
      text.clear();
    } else if (e.name == "provider" && parent == "country" && cur) {
      cur->country = country;
      if (!cur->plmns.empty()) providers.push_back(std::move(*cur));
      cur.reset();
    } else if (e.name == "country" && parent == "serviceproviders") {
      // The country's <name> comes first (DTD: country (name+, provider*)); fill it in where missing.
      for (auto it = providers.rbegin(); it != providers.rend() && it->country.empty() && it->country_code == country_code; ++it)
        it->country = country;
    }
    path.pop_back();
  });
  // Each PLMN: the provider marked primary, else the one listing the most network ids, else the first.
  std::map<std::string, std::vector<const Provider*>> candidates;
  for (const auto& p : providers)
    for (const auto& key : p.plmns) candidates[key].push_back(&p);
  for (const auto& [key, list] : candidates) {
    const Provider* best = list.front();
    for (const Provider* p : list) {
      if (best->primary) break;
      if (p->primary || p->plmns.size() > best->plmns.size()) best = p;
    }
    OperatorName op{best->name.empty() ? std::string("(unnamed provider)") : best->name, best->country_code,
                    best->country, {}};
    for (const Provider* p : list)
      if (p != best && !p->name.empty() && p->name != op.name) {
        bool seen = false;
        for (const auto& o : op.others) seen = seen || o == p->name;
        if (!seen) op.others.push_back(p->name);
      }
    t.by_plmn_.emplace(key, std::move(op));
    ++t.mnc_count_[key.substr(0, 3)];
  }
  return t;
}

OperatorTable OperatorTable::from_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(path.string() + ": cannot read the operator list: " + ec.message());
  if (size > kMaxFileBytes)
    throw InputError(path.string() + ": operator list of " + std::to_string(size) + " bytes is larger than the limit of " +
                     std::to_string(kMaxFileBytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open the operator list");
  std::string doc(static_cast<std::size_t>(size), '\0');
  in.read(doc.data(), static_cast<std::streamsize>(size));
  doc.resize(static_cast<std::size_t>(in.gcount()));
  return from_xml(doc, path.string());
}

std::optional<OperatorName> OperatorTable::lookup(std::string_view mcc_in, std::string_view mnc) const {
  const std::string mcc = norm_mcc(mcc_in);
  if (mcc.empty() || !valid_mnc(mnc)) return std::nullopt;
  const std::string key = mcc + "-" + std::string(mnc);
  if (auto it = by_plmn_.find(key); it != by_plmn_.end()) return it->second;
  // By value: "01" and "001" (a list or a decoder that lost the third digit's filler).
  const int v = mnc_value(mnc);
  for (auto it = by_plmn_.lower_bound(mcc + "-"); it != by_plmn_.end() && it->first.compare(0, 4, mcc + "-") == 0; ++it)
    if (mnc_value(std::string_view(it->first).substr(4)) == v) return it->second;
  return std::nullopt;
}

bool OperatorTable::mcc_has_operators(std::string_view mcc) const {
  const std::string m = norm_mcc(mcc);
  return !m.empty() && mnc_count_.count(m) > 0;
}

std::vector<std::string> OperatorTable::mncs_of(std::string_view mcc) const {
  std::vector<std::string> out;
  const std::string m = norm_mcc(mcc);
  if (m.empty()) return out;
  for (auto it = by_plmn_.lower_bound(m + "-"); it != by_plmn_.end() && it->first.compare(0, 4, m + "-") == 0; ++it)
    out.push_back(it->first.substr(4));
  return out;
}

namespace {
struct Loaded {
  OperatorTable table;
  OperatorListInfo info;
};

const Loaded& loaded() {
  static const Loaded l = [] {
    Loaded out;
    const char* env = std::getenv("TW_PROVIDERS_XML");
    if (env && !*env) {
      out.info.error = "TW_PROVIDERS_XML is set empty: no operator list";
      log::info("operator names: " + out.info.error);
      return out;
    }
    out.info.path = env ? env : kDefaultPath;
    try {
      out.table = OperatorTable::from_file(out.info.path);
      out.info.loaded = true;
      out.info.plmns = out.table.plmn_count();
      if (out.table.skipped_entries() > 0)
        log::debug("operator names: " + out.info.path + ": " + std::to_string(out.table.skipped_entries()) +
                   " <network-id> entries without a valid MCC/MNC skipped");
    } catch (const InputError& e) {
      out.info.error = e.what();
      log::warn("operator names: " + out.info.error +
                " (Debian package mobile-broadband-provider-info); operators are shown as unknown and rule M3 is silent");
    }
    return out;
  }();
  return l;
}
}  // namespace

const OperatorListInfo& operator_list_info() { return loaded().info; }
const OperatorTable& operator_table() { return loaded().table; }

std::string mcc_string(int mcc) {
  if (mcc < 0 || mcc > 999) return {};
  return norm_mcc(std::to_string(mcc));
}

std::optional<OperatorName> lookup_operator(std::string_view mcc, std::string_view mnc) {
  return operator_table().lookup(mcc, mnc);
}
std::optional<OperatorName> lookup_operator(int mcc, std::string_view mnc) { return lookup_operator(mcc_string(mcc), mnc); }
bool mcc_has_operators(std::string_view mcc) { return operator_table().mcc_has_operators(mcc); }
bool mcc_has_operators(int mcc) { return mcc_has_operators(mcc_string(mcc)); }
bool plmn_known(std::string_view mcc, std::string_view mnc) { return operator_table().plmn_known(mcc, mnc); }
bool plmn_known(int mcc, std::string_view mnc) { return plmn_known(mcc_string(mcc), mnc); }

const char* reserved_mcc(int mcc) {
  if (mcc == 1) return "test network";
  if (mcc == 999) return "internal use";
  return nullptr;
}

std::optional<std::string> operator_name_of(int mcc, const std::string& mnc) {
  if (const auto op = lookup_operator(mcc, mnc)) return op->name;
  return std::nullopt;
}

std::string operator_label(int mcc, std::string_view mnc) {
  if (const char* r = reserved_mcc(mcc)) return std::string(r) + " (E.212 MCC " + mcc_string(mcc) + ")";
  if (auto op = lookup_operator(mcc, mnc)) return op->name;
  return "unknown operator";
}

}  // namespace tw::cells
