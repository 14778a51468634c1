// TS 36.331 6.3.1 SystemInformationBlockType8: CDMA2000 (HRPD, 1xRTT) system time, pre-registration, CSFB
// registration parameters and re-selection parameters (6.3.4 CellReselectionParametersCDMA2000 ...).
#include "src/lte/sib_decoders.hpp"

namespace tw::lte::detail {
namespace {

constexpr int kMaxCdmaBandClass = 32;  // 6.4

// 6.3.4 BandclassCDMA2000 ::= ENUMERATED {bc0, ..., bc17, bc18-v9a0, ..., bc21-v9a0, spare10 .. spare1, ...}
unsigned read_band_class(UperReader& r, const char* field) { return r.enumerated_ext(32, field); }

Cdma2000Reselection read_reselection(UperReader& r, const char* field, unsigned& additions) {
  auto s = r.scope(field);
  const auto p = r.preamble(false, 1, "");  // t-ReselectionCDMA2000-SF
  Cdma2000Reselection c;
  {
    auto sb = r.scope("bandClassList");
    const std::size_t n = r.length(1, kMaxCdmaBandClass, "");
    for (std::size_t i = 0; i < n; ++i) {
      auto si = r.item(i);
      const auto pi = r.preamble(true, 1, "");
      Cdma2000BandClass b;
      b.band_class = read_band_class(r, "bandClass");
      if (pi.present(0)) b.cell_reselection_priority = read_cell_reselection_priority(r, "cellReselectionPriority");
      b.thresh_x_high = static_cast<int>(r.constrained(0, 63, "threshX-High"));
      b.thresh_x_low = static_cast<int>(r.constrained(0, 63, "threshX-Low"));
      additions += skip_additions_if(r, pi);
      c.band_classes.push_back(b);
    }
  }
  {
    auto sn = r.scope("neighCellList");
    const std::size_t n = r.length(1, 16, "");
    for (std::size_t i = 0; i < n; ++i) {
      auto si = r.item(i);
      const unsigned band = read_band_class(r, "bandClass");
      auto sf = r.scope("neighCellsPerFreqList");
      const std::size_t m = r.length(1, 16, "");
      for (std::size_t k = 0; k < m; ++k) {
        auto sk = r.item(k);
        Cdma2000NeighFreq f;
        f.band_class = band;
        f.arfcn = static_cast<int>(r.constrained(0, 2047, "arfcn"));
        auto sp = r.scope("physCellIdList");
        const std::size_t q = r.length(1, 16, "");
        for (std::size_t j = 0; j < q; ++j) f.pn_offsets.push_back(static_cast<int>(r.constrained(0, 511, "PhysCellIdCDMA2000")));
        c.neighbours.push_back(std::move(f));
      }
    }
  }
  c.t_reselection = read_t_reselection(r, "t-ReselectionCDMA2000");
  if (p.present(0)) c.sf = read_speed_state_scale_factors(r, "t-ReselectionCDMA2000-SF");
  return c;
}

}  // namespace

Sib8 decode_sib8(UperReader& r) {
  Sib8 sib;
  const auto p = r.preamble(true, 4, "");  // systemTimeInfo, searchWindowSize, parametersHRPD, parameters1XRTT
  if (p.present(0)) {
    auto s = r.scope("systemTimeInfo");
    sib.cdma_eutra_synchronisation = r.boolean("cdma-EUTRA-Synchronisation");
    const bool synchronous = r.choice(2, "cdma-SystemTime") == 0;
    sib.synchronous_system_time = synchronous;
    sib.cdma_system_time = r.bits(synchronous ? 39 : 49, synchronous ? "synchronousSystemTime" : "asynchronousSystemTime");
  }
  if (p.present(1)) sib.search_window_size = static_cast<int>(r.constrained(0, 15, "searchWindowSize"));
  if (p.present(2)) {
    auto s = r.scope("parametersHRPD");
    sib.hrpd_present = true;
    const auto ph = r.preamble(false, 1, "");  // cellReselectionParametersHRPD
    {
      auto sp = r.scope("preRegistrationInfoHRPD");
      const auto pp = r.preamble(false, 2, "");
      sib.hrpd_pre_registration_allowed = r.boolean("preRegistrationAllowed");
      if (pp.present(0)) sib.hrpd_pre_registration_zone = static_cast<int>(r.constrained(0, 255, "preRegistrationZoneId"));
      if (pp.present(1)) {
        auto sz = r.scope("secondaryPreRegistrationZoneIdList");
        const std::size_t n = r.length(1, 2, "");
        for (std::size_t i = 0; i < n; ++i) {
          sib.hrpd_secondary_zones.push_back(static_cast<int>(r.constrained(0, 255, "PreRegistrationZoneIdHRPD")));
        }
      }
    }
    if (ph.present(0)) {
      sib.hrpd_reselection = read_reselection(r, "cellReselectionParametersHRPD", sib.extension_additions);
    }
  }
  if (p.present(3)) {
    auto s = r.scope("parameters1XRTT");
    sib.rtt_present = true;
    const auto px = r.preamble(false, 3, "");
    if (px.present(0)) {
      auto sc = r.scope("csfb-RegistrationParam1XRTT");
      Sib8::CsfbRegistration c;
      c.sid = static_cast<std::uint16_t>(r.bits(15, "sid"));
      c.nid = static_cast<std::uint16_t>(r.bits(16, "nid"));
      c.multiple_sid = r.boolean("multipleSID");
      c.multiple_nid = r.boolean("multipleNID");
      c.home_reg = r.boolean("homeReg");
      c.foreign_sid_reg = r.boolean("foreignSIDReg");
      c.foreign_nid_reg = r.boolean("foreignNIDReg");
      c.parameter_reg = r.boolean("parameterReg");
      c.power_up_reg = r.boolean("powerUpReg");
      c.registration_period = static_cast<unsigned>(r.bits(7, "registrationPeriod"));
      c.registration_zone = static_cast<unsigned>(r.bits(12, "registrationZone"));
      c.total_zone = static_cast<unsigned>(r.bits(3, "totalZone"));
      c.zone_timer = static_cast<unsigned>(r.bits(3, "zoneTimer"));
      sib.csfb_registration = c;
    }
    if (px.present(1)) sib.long_code_state = r.bits(42, "longCodeState1XRTT");
    if (px.present(2)) {
      sib.rtt_reselection = read_reselection(r, "cellReselectionParameters1XRTT", sib.extension_additions);
    }
  }
  sib.extension_additions += skip_additions_if(r, p);
  return sib;
}

}  // namespace tw::lte::detail
