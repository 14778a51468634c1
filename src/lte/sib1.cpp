// TS 36.331 6.2.2 SystemInformationBlockType1, with its nonCriticalExtension chain decoded up to v1250
// (v890 lateNonCriticalExtension -> v8h0 -> v9e0; v920, v1130, v1250). SIB1 is the whole message, so a
// later extension (v1310 ...) is left undecoded at the end of the message and named in
// extensions_not_decoded: nothing follows it that could be misparsed.
#include "src/lte/sib_decoders.hpp"

namespace tw::lte::detail {
namespace {

// 6.3.4 PLMN-Identity ::= SEQUENCE { mcc MCC OPTIONAL, mnc MNC }, MCC: SIZE (3), MNC: SIZE (2..3) OF 0..9.
PlmnIdentity read_plmn_identity(UperReader& r, const PlmnIdentity* previous) {
  auto s = r.scope("plmn-Identity");
  const auto p = r.preamble(false, 1, "");
  PlmnIdentity id;
  if (p.present(0)) {
    auto sm = r.scope("mcc");
    int mcc = 0;
    for (int i = 0; i < 3; ++i) mcc = mcc * 10 + static_cast<int>(r.constrained(0, 9, "MCC-MNC-Digit"));
    id.mcc = mcc;
  } else {
    // 6.2.2 PLMN-IdentityList field description: an absent MCC is that of the previous PLMN of the list.
    if (!previous) r.fail("mcc", "absent in the first PLMN of the list (no previous MCC to take)");
    id.mcc = previous->mcc;
    id.mcc_present = false;
  }
  auto sn = r.scope("mnc");
  const std::size_t n = r.length(2, 3, "");
  for (std::size_t i = 0; i < n; ++i) id.mnc += static_cast<char>('0' + r.constrained(0, 9, "MCC-MNC-Digit"));
  return id;
}

// 6.2.2 SystemInformationBlockType1-v8h0-IEs (inside the OCTET STRING of lateNonCriticalExtension).
void read_v8h0(UperReader& r, Sib1& sib) {
  auto s = r.scope("SystemInformationBlockType1-v8h0-IEs");
  const auto p = r.preamble(false, 2, "");
  if (p.present(0)) {
    auto sl = r.scope("multiBandInfoList");
    const std::size_t n = r.length(1, 8, "");  // maxMultiBands
    for (std::size_t i = 0; i < n; ++i) {
      sib.multi_band_info.push_back(static_cast<int>(r.constrained(1, 64, "FreqBandIndicator")));
    }
  }
  if (!p.present(1)) return;
  auto s9 = r.scope("nonCriticalExtension");  // v9e0
  const auto p9 = r.preamble(false, 3, "");
  if (p9.present(0)) sib.freq_band_indicator_v9e0 = static_cast<int>(r.constrained(65, 256, "freqBandIndicator-v9e0"));
  if (p9.present(1)) {
    auto sl = r.scope("multiBandInfoList-v9e0");
    const std::size_t n = r.length(1, 8, "");
    for (std::size_t i = 0; i < n; ++i) {
      const auto pi = r.preamble(false, 1, "MultiBandInfo-v9e0");
      if (pi.present(0)) r.constrained(65, 256, "freqBandIndicator-v9e0");
    }
  }
  // v10j0 and later late extensions: inside the octet string, so stepping over them needs no decoding.
  if (p9.present(2) && sib.extensions_not_decoded.empty()) sib.extensions_not_decoded = "v10j0";
}

void read_extensions(UperReader& r, Sib1& sib) {
  auto s890 = r.scope("nonCriticalExtension");  // v890
  const auto p890 = r.preamble(false, 2, "");
  if (p890.present(0)) {
    UperReader late = r.open_type("lateNonCriticalExtension");  // OCTET STRING (CONTAINING v8h0-IEs)
    read_v8h0(late, sib);
  }
  if (!p890.present(1)) return;
  auto s920 = r.scope("nonCriticalExtension");  // v920
  const auto p920 = r.preamble(false, 3, "");
  sib.ims_emergency_support = p920.present(0);  // ENUMERATED {true}: no bits
  if (p920.present(1)) {
    auto sc = r.scope("cellSelectionInfo-v920");
    const auto pc = r.preamble(false, 1, "");
    sib.q_qual_min = read_q_qual_min(r, "q-QualMin-r9");
    if (pc.present(0)) sib.q_qual_min_offset = static_cast<int>(r.constrained(1, 8, "q-QualMinOffset-r9"));
  }
  if (!p920.present(2)) return;
  auto s1130 = r.scope("nonCriticalExtension");  // v1130
  const auto p1130 = r.preamble(false, 3, "");
  if (p1130.present(0)) sib.special_subframe_patterns_v1130 = r.enumerated(2, "tdd-Config-v1130");
  if (p1130.present(1)) sib.q_qual_min_wb = read_q_qual_min(r, "cellSelectionInfo-v1130");
  if (!p1130.present(2)) return;
  auto s1250 = r.scope("nonCriticalExtension");  // v1250
  const auto p1250 = r.preamble(false, 3, "");
  const auto pc0 = r.preamble(false, 1, "cellAccessRelatedInfo-v1250");
  sib.category0_allowed = pc0.present(0);
  if (p1250.present(0)) sib.q_qual_min_rsrq_on_all_symbols = read_q_qual_min(r, "cellSelectionInfo-v1250");
  sib.freq_band_indicator_priority = p1250.present(1);
  if (p1250.present(2)) sib.extensions_not_decoded = "v1310";
}

}  // namespace

Sib1 decode_sib1(UperReader& r) {
  Sib1 sib;
  const auto p = r.preamble(false, 3, "");  // p-Max, tdd-Config, nonCriticalExtension (no extension marker)
  {
    auto s = r.scope("cellAccessRelatedInfo");
    const auto pc = r.preamble(false, 1, "");
    {
      auto sl = r.scope("plmn-IdentityList");
      const std::size_t n = r.length(1, 6, "");  // maxPLMN-r11
      for (std::size_t i = 0; i < n; ++i) {
        auto si = r.item(i);
        PlmnIdentity id = read_plmn_identity(r, i ? &sib.plmns.back() : nullptr);
        id.reserved = r.enumerated(2, "cellReservedForOperatorUse") == 0;  // reserved, notReserved
        sib.plmns.push_back(std::move(id));
      }
    }
    sib.tac = static_cast<std::uint16_t>(r.bits(16, "trackingAreaCode"));
    sib.cell_identity = static_cast<std::uint32_t>(r.bits(28, "cellIdentity"));
    sib.cell_barred = r.enumerated(2, "cellBarred") == 0;                           // barred, notBarred
    sib.intra_freq_reselection_allowed = r.enumerated(2, "intraFreqReselection") == 0;  // allowed, notAllowed
    sib.csg_indication = r.boolean("csg-Indication");
    if (pc.present(0)) sib.csg_identity = static_cast<std::uint32_t>(r.bits(27, "csg-Identity"));
  }
  {
    auto s = r.scope("cellSelectionInfo");
    const auto pc = r.preamble(false, 1, "");
    sib.q_rx_lev_min = read_q_rx_lev_min(r, "q-RxLevMin");
    if (pc.present(0)) sib.q_rx_lev_min_offset = static_cast<int>(r.constrained(1, 8, "q-RxLevMinOffset"));
  }
  if (p.present(0)) sib.p_max = read_p_max(r, "p-Max");
  sib.freq_band_indicator = static_cast<int>(r.constrained(1, 64, "freqBandIndicator"));
  {
    auto s = r.scope("schedulingInfoList");
    const std::size_t n = r.length(1, 32, "");  // maxSI-Message
    for (std::size_t i = 0; i < n; ++i) {
      auto si = r.item(i);
      SchedulingInfo info;
      info.si_periodicity = r.enumerated(7, "si-Periodicity");  // rf8 .. rf512
      auto sm = r.scope("sib-MappingInfo");
      const std::size_t m = r.length(0, 31, "");  // SIZE (0..maxSIB-1)
      for (std::size_t k = 0; k < m; ++k) {
        // SIB-Type: 16 root values sibType3 .. sibType18-v1250, then extension values (19, 20, 21, 24, 25, 26).
        static constexpr int kExtSib[] = {19, 20, 21, 24, 25, 26};
        const unsigned t = r.enumerated_ext(16, "SIB-Type");
        if (t < 16) {
          info.sibs.push_back("SIB" + std::to_string(3 + t));
        } else if (t - 16 < std::size(kExtSib)) {
          info.sibs.push_back("SIB" + std::to_string(kExtSib[t - 16]));
        } else {
          info.sibs.push_back("SIB-ext" + std::to_string(t - 16));
        }
      }
      sib.scheduling.push_back(std::move(info));
    }
  }
  if (p.present(1)) {
    auto s = r.scope("tdd-Config");
    TddConfig tdd;
    tdd.subframe_assignment = r.enumerated(7, "subframeAssignment");
    tdd.special_subframe_patterns = r.enumerated(9, "specialSubframePatterns");
    sib.tdd_config = tdd;
  }
  sib.si_window_length = r.enumerated(7, "si-WindowLength");
  sib.system_info_value_tag = static_cast<int>(r.constrained(0, 31, "systemInfoValueTag"));
  if (p.present(2)) read_extensions(r, sib);
  return sib;
}

}  // namespace tw::lte::detail
