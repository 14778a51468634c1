// Who a PLMN (MCC + MNC, TS 23.003 2.2) belongs to: the operator names of Debian's mobile-broadband-provider-info
// (/usr/share/mobile-broadband-provider-info/serviceproviders.xml: <country code><provider><name>, <gsm>
// <network-id mcc mnc/>), read at run time, once per process, on first use (thread-safe). TW_PROVIDERS_XML names
// another file (tests; an empty value means "no list"). When the file is absent or unreadable the fallback is
// no names at all ("unknown operator", a one-line warning on stderr): no built-in operator table, so nothing
// is guessed. The only built-in facts are the reserved MCCs of ITU-T E.212 (001 test networks, 999 internal
// use), known with or without the list.
//
// MVNOs share their host's PLMN in the file: the name given is the provider the file marks primary="true",
// else the one listing the most network ids (the host lists all its MNCs, an MVNO usually one), else the
// first in file order; the others are in `others`.
#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tw::cells {

struct OperatorName {
  std::string name;                 // "T-Mobile(Telekom)": the provider's <name> (the one without xml:lang)
  std::string country_code;         // the <country code=".."> of the provider, "de" (ISO 3166-1 alpha-2)
  std::string country;              // the country's <name>, "Germany"
  std::vector<std::string> others;  // other providers (MVNOs) listing this PLMN, file order
};

// One parsed operator list. MCC: 3 digits ("262"; "1" is taken as "001"); MNC: 2 or 3 digits as broadcast.
// An MNC is looked up exactly, then by value ("01" and "001"), as OpenCellID keeps MNCs as numbers.
class OperatorTable {
 public:
  // Throws tw::InputError naming `where` and the line for malformed XML (mini_xml.hpp) or a document that is
  // not a <serviceproviders> list. <network-id> entries with an MCC or MNC that is not 3 resp. 2..3 digits
  // (TS 23.003 2.2) are skipped and counted.
  static OperatorTable from_xml(std::string_view xml, const std::string& where);
  // Reads the file (at most 32 MiB); a missing or unreadable file is a tw::InputError naming it.
  static OperatorTable from_file(const std::filesystem::path& path);

  std::optional<OperatorName> lookup(std::string_view mcc, std::string_view mnc) const;
  bool mcc_has_operators(std::string_view mcc) const;
  // The MNCs the list names for this MCC, sorted ("01", "02", ...).
  std::vector<std::string> mncs_of(std::string_view mcc) const;
  bool plmn_known(std::string_view mcc, std::string_view mnc) const { return lookup(mcc, mnc).has_value(); }
  std::size_t plmn_count() const { return by_plmn_.size(); }
  std::size_t skipped_entries() const { return skipped_; }

 private:
  std::map<std::string, OperatorName> by_plmn_;   // "262-01"
  std::map<std::string, int> mnc_count_;          // "262" -> PLMNs
  std::size_t skipped_ = 0;
};

// The process-wide list: where it came from and whether it loaded.
struct OperatorListInfo {
  std::string path;      // the file tried; empty when TW_PROVIDERS_XML is set empty
  bool loaded = false;
  std::string error;     // why not, when not loaded
  std::size_t plmns = 0;
};
const OperatorListInfo& operator_list_info();
const OperatorTable& operator_table();   // empty when not loaded

// The process-wide list's lookups (operator_table()).
std::optional<OperatorName> lookup_operator(std::string_view mcc, std::string_view mnc);
std::optional<OperatorName> lookup_operator(int mcc, std::string_view mnc);
// The list names at least one operator of this MCC (only then can it say that an MNC is unknown).
bool mcc_has_operators(std::string_view mcc);
bool mcc_has_operators(int mcc);
bool plmn_known(std::string_view mcc, std::string_view mnc);
bool plmn_known(int mcc, std::string_view mnc);

// ITU-T E.212 reserved MCCs (built in, list or not): 001 "test network" (001-01 is also the default PLMN of
// OpenBTS and YateBTS), 999 "internal use"; nullptr otherwise.
const char* reserved_mcc(int mcc);

// "T-Mobile(Telekom)", or "test network (E.212 MCC 001)", or "unknown operator": for text output.
std::string operator_label(int mcc, std::string_view mnc);
// The list's name of the PLMN, nullopt when the list does not know it (the HTML report's name lookup).
std::optional<std::string> operator_name_of(int mcc, const std::string& mnc);

// "001" for 1; "" outside 0..999.
std::string mcc_string(int mcc);

}  // namespace tw::cells
