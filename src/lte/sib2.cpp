// TS 36.331 6.3.1 SystemInformationBlockType2: access barring, RadioResourceConfigCommonSIB (6.3.2: RACH,
// BCCH, PCCH, PRACH, PDSCH, PUSCH, PUCCH, SRS, uplink power control, UL CP length), UE timers and constants,
// freqInfo, MBSFN subframe configuration, time alignment timer, and the extension additions of Rel-9/10
// (SSAC barring for MMTEL, access barring for CSFB); other extension additions are skipped.
#include "src/lte/sib_decoders.hpp"

namespace tw::lte::detail {
namespace {

AcBarringConfig read_ac_barring_config(UperReader& r, const char* field) {
  auto s = r.scope(field);
  AcBarringConfig c;
  c.factor = r.enumerated(16, "ac-BarringFactor");
  c.time = r.enumerated(8, "ac-BarringTime");
  c.special_ac = static_cast<std::uint8_t>(r.bits(5, "ac-BarringForSpecialAC"));
  return c;
}

void read_rach_config_common(UperReader& r, Sib2& sib) {
  auto s = r.scope("rach-ConfigCommon");
  const auto p = r.preamble(true, 0, "");
  {
    auto sp = r.scope("preambleInfo");
    const auto pp = r.preamble(false, 1, "");
    sib.number_of_ra_preambles = r.enumerated(16, "numberOfRA-Preambles");
    if (pp.present(0)) {
      auto sg = r.scope("preamblesGroupAConfig");
      const auto pg = r.preamble(true, 0, "");
      Sib2::PreamblesGroupA g;
      g.size = r.enumerated(15, "sizeOfRA-PreamblesGroupA");
      g.message_size = r.enumerated(4, "messageSizeGroupA");
      g.message_power_offset_group_b = r.enumerated(8, "messagePowerOffsetGroupB");
      sib.extension_additions += skip_additions_if(r, pg);
      sib.preambles_group_a = g;
    }
  }
  {
    auto sp = r.scope("powerRampingParameters");
    sib.power_ramping_step = r.enumerated(4, "powerRampingStep");
    sib.preamble_initial_target_power = r.enumerated(16, "preambleInitialReceivedTargetPower");
  }
  {
    auto ss = r.scope("ra-SupervisionInfo");
    sib.preamble_trans_max = r.enumerated(11, "preambleTransMax");
    sib.ra_response_window_size = r.enumerated(8, "ra-ResponseWindowSize");
    sib.mac_contention_resolution_timer = r.enumerated(8, "mac-ContentionResolutionTimer");
  }
  sib.max_harq_msg3_tx = static_cast<int>(r.constrained(1, 8, "maxHARQ-Msg3Tx"));
  sib.extension_additions += skip_additions_if(r, p);
}

void read_radio_resource_config_common(UperReader& r, Sib2& sib) {
  auto s = r.scope("radioResourceConfigCommon");
  const auto p = r.preamble(true, 0, "");
  read_rach_config_common(r, sib);
  sib.modification_period_coeff = r.enumerated(4, "bcch-Config.modificationPeriodCoeff");
  sib.default_paging_cycle = r.enumerated(4, "pcch-Config.defaultPagingCycle");
  sib.nb = r.enumerated(8, "pcch-Config.nB");
  {
    auto sp = r.scope("prach-Config");
    sib.root_sequence_index = static_cast<int>(r.constrained(0, 837, "rootSequenceIndex"));
    auto si = r.scope("prach-ConfigInfo");
    sib.prach_config_index = static_cast<int>(r.constrained(0, 63, "prach-ConfigIndex"));
    sib.high_speed_flag = r.boolean("highSpeedFlag");
    sib.zero_correlation_zone_config = static_cast<int>(r.constrained(0, 15, "zeroCorrelationZoneConfig"));
    sib.prach_freq_offset = static_cast<int>(r.constrained(0, 94, "prach-FreqOffset"));
  }
  {
    auto sp = r.scope("pdsch-ConfigCommon");
    sib.reference_signal_power = static_cast<int>(r.constrained(-60, 50, "referenceSignalPower"));
    sib.p_b = static_cast<int>(r.constrained(0, 3, "p-b"));
  }
  {
    auto sp = r.scope("pusch-ConfigCommon");
    {
      auto sb = r.scope("pusch-ConfigBasic");
      sib.n_sb = static_cast<int>(r.constrained(1, 4, "n-SB"));
      sib.hopping_mode = r.enumerated(2, "hoppingMode");
      sib.pusch_hopping_offset = static_cast<int>(r.constrained(0, 98, "pusch-HoppingOffset"));
      sib.enable_64qam = r.boolean("enable64QAM");
    }
    auto sr = r.scope("ul-ReferenceSignalsPUSCH");
    sib.group_hopping_enabled = r.boolean("groupHoppingEnabled");
    sib.group_assignment_pusch = static_cast<int>(r.constrained(0, 29, "groupAssignmentPUSCH"));
    sib.sequence_hopping_enabled = r.boolean("sequenceHoppingEnabled");
    sib.cyclic_shift = static_cast<int>(r.constrained(0, 7, "cyclicShift"));
  }
  {
    auto sp = r.scope("pucch-ConfigCommon");
    sib.delta_pucch_shift = r.enumerated(3, "deltaPUCCH-Shift");
    sib.n_rb_cqi = static_cast<int>(r.constrained(0, 98, "nRB-CQI"));
    sib.n_cs_an = static_cast<int>(r.constrained(0, 7, "nCS-AN"));
    sib.n1_pucch_an = static_cast<int>(r.constrained(0, 2047, "n1PUCCH-AN"));
  }
  {
    auto ss = r.scope("soundingRS-UL-ConfigCommon");
    if (r.choice(2, "") == 1) {  // release NULL, setup SEQUENCE
      auto su = r.scope("setup");
      const auto pu = r.preamble(false, 1, "");
      Sib2::Srs srs;
      srs.bandwidth_config = r.enumerated(8, "srs-BandwidthConfig");
      srs.subframe_config = r.enumerated(16, "srs-SubframeConfig");
      srs.ack_nack_simultaneous = r.boolean("ackNackSRS-SimultaneousTransmission");
      srs.max_up_pts = pu.present(0);  // ENUMERATED {true}: no bits
      sib.srs = srs;
    }
  }
  {
    auto su = r.scope("uplinkPowerControlCommon");
    sib.p0_nominal_pusch = static_cast<int>(r.constrained(-126, 24, "p0-NominalPUSCH"));
    sib.alpha = r.enumerated(8, "alpha");
    sib.p0_nominal_pucch = static_cast<int>(r.constrained(-127, -96, "p0-NominalPUCCH"));
    auto sd = r.scope("deltaFList-PUCCH");
    sib.delta_f_pucch[0] = r.enumerated(3, "deltaF-PUCCH-Format1");
    sib.delta_f_pucch[1] = r.enumerated(3, "deltaF-PUCCH-Format1b");
    sib.delta_f_pucch[2] = r.enumerated(4, "deltaF-PUCCH-Format2");
    sib.delta_f_pucch[3] = r.enumerated(3, "deltaF-PUCCH-Format2a");
    sib.delta_f_pucch[4] = r.enumerated(3, "deltaF-PUCCH-Format2b");
  }
  sib.delta_preamble_msg3 =
      static_cast<int>(r.constrained(-1, 6, "uplinkPowerControlCommon.deltaPreambleMsg3"));
  sib.ul_cyclic_prefix_length = r.enumerated(2, "ul-CyclicPrefixLength");
  sib.extension_additions += skip_additions_if(r, p);
}

}  // namespace

Sib2 decode_sib2(UperReader& r) {
  Sib2 sib;
  const auto p = r.preamble(true, 2, "");  // ac-BarringInfo, mbsfn-SubframeConfigList
  if (p.present(0)) {
    auto s = r.scope("ac-BarringInfo");
    const auto pa = r.preamble(false, 2, "");
    Sib2::AcBarring ac;
    ac.emergency = r.boolean("ac-BarringForEmergency");
    if (pa.present(0)) ac.mo_signalling = read_ac_barring_config(r, "ac-BarringForMO-Signalling");
    if (pa.present(1)) ac.mo_data = read_ac_barring_config(r, "ac-BarringForMO-Data");
    sib.ac_barring = ac;
  }
  read_radio_resource_config_common(r, sib);
  {
    auto s = r.scope("ue-TimersAndConstants");
    const auto pt = r.preamble(true, 0, "");
    sib.t300 = r.enumerated(8, "t300");
    sib.t301 = r.enumerated(8, "t301");
    sib.t310 = r.enumerated(7, "t310");
    sib.n310 = r.enumerated(8, "n310");
    sib.t311 = r.enumerated(7, "t311");
    sib.n311 = r.enumerated(8, "n311");
    sib.extension_additions += skip_additions_if(r, pt);
  }
  {
    auto s = r.scope("freqInfo");
    const auto pf = r.preamble(false, 2, "");
    if (pf.present(0)) sib.ul_carrier_freq = static_cast<int>(r.constrained(0, 65535, "ul-CarrierFreq"));
    if (pf.present(1)) sib.ul_bandwidth = r.enumerated(6, "ul-Bandwidth");
    sib.additional_spectrum_emission = static_cast<int>(r.constrained(1, 32, "additionalSpectrumEmission"));
  }
  if (p.present(1)) {
    auto s = r.scope("mbsfn-SubframeConfigList");
    const std::size_t n = r.length(1, 8, "");  // maxMBSFN-Allocations
    for (std::size_t i = 0; i < n; ++i) {
      auto si = r.item(i);
      Sib2::MbsfnSubframeConfig c;
      c.radioframe_allocation_period = r.enumerated(6, "radioframeAllocationPeriod");
      c.radioframe_allocation_offset = static_cast<int>(r.constrained(0, 7, "radioframeAllocationOffset"));
      c.four_frames = r.choice(2, "subframeAllocation") == 1;
      c.subframe_allocation = static_cast<std::uint32_t>(r.bits(c.four_frames ? 24 : 6, "subframeAllocation"));
      sib.mbsfn.push_back(c);
    }
  }
  sib.time_alignment_timer = r.enumerated(8, "timeAlignmentTimerCommon");
  if (p.extended) {
    auto ext = r.extension_additions("extensionAdditions");
    for (const auto& a : ext) sib.extension_additions += a ? 1u : 0u;
    // 0: lateNonCriticalExtension (skipped); 1: [[ssac-BarringForMMTEL-Voice-r9, -Video-r9]];
    // 2: [[ac-BarringForCSFB-r10]]; later groups skipped.
    if (ext.size() > 1 && ext[1]) {
      UperReader& g = *ext[1];
      const auto pg = g.preamble(false, 2, "");
      if (pg.present(0)) sib.ssac_barring_mmtel_voice = read_ac_barring_config(g, "ssac-BarringForMMTEL-Voice-r9");
      if (pg.present(1)) sib.ssac_barring_mmtel_video = read_ac_barring_config(g, "ssac-BarringForMMTEL-Video-r9");
    }
    if (ext.size() > 2 && ext[2]) {
      UperReader& g = *ext[2];
      if (g.preamble(false, 1, "").present(0)) sib.ac_barring_csfb = read_ac_barring_config(g, "ac-BarringForCSFB-r10");
    }
  }
  return sib;
}

}  // namespace tw::lte::detail
