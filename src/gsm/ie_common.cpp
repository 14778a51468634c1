// Information elements shared by several RR messages (TS 44.018 10.5.x, TS 24.008 10.5.1.x).
#include "src/gsm/ie_common.hpp"

#include <cstdio>

namespace tw::gsm::detail {

std::string hex8(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

void require_pseudo_length(const L3Context& ctx, std::size_t octets, std::string_view message) {
  if (ctx.l3_end < 1 + octets) {
    throw tw::InputError(std::string(message) + ": L2 pseudo length " + std::to_string(ctx.l3_end - 1) +
                         " is shorter than the mandatory part (" + std::to_string(octets) + " octets)");
  }
}

namespace {
void need(std::span<const std::uint8_t> v, std::size_t n, std::string_view ie) {
  if (v.size() < n) throw tw::InputError(std::string(ie) + ": needs " + std::to_string(n) + " octets");
}
}  // namespace

// 10.5.1.3: octet 2 = MCC digit 2 | MCC digit 1, octet 3 = MNC digit 3 | MCC digit 3,
// octet 4 = MNC digit 2 | MNC digit 1, octets 5-6 = LAC. MNC digit 3 = 1111 for a 2-digit MNC.
Lai decode_lai(std::span<const std::uint8_t> v) {
  need(v, 5, "LAI");
  const unsigned mcc1 = v[0] & 0x0f, mcc2 = v[0] >> 4, mcc3 = v[1] & 0x0f;
  const unsigned mnc3 = v[1] >> 4, mnc1 = v[2] & 0x0f, mnc2 = v[2] >> 4;
  if (mcc1 > 9 || mcc2 > 9 || mcc3 > 9) throw tw::InputError("LAI: MCC digit out of range 0..9");
  if (mnc1 > 9 || mnc2 > 9 || (mnc3 > 9 && mnc3 != 0xf)) {
    throw tw::InputError("LAI: MNC digit out of range 0..9");
  }
  Lai lai;
  lai.mcc = static_cast<std::uint16_t>(mcc1 * 100 + mcc2 * 10 + mcc3);
  lai.mnc_3_digits = mnc3 != 0xf;
  lai.mnc = static_cast<std::uint16_t>(lai.mnc_3_digits ? mnc1 * 100 + mnc2 * 10 + mnc3 : mnc1 * 10 + mnc2);
  lai.lac = static_cast<std::uint16_t>((v[3] << 8) | v[4]);
  return lai;
}

// 10.5.2.29: octet 2 = max retrans (2) | tx-integer (4) | CELL_BAR_ACCESS | RE;
// octet 3 = AC15..AC11, EC, AC9, AC8; octet 4 = AC7..AC0.
RachControl decode_rach_control(std::span<const std::uint8_t> v) {
  need(v, 3, "RACH control parameters");
  RachControl r;
  r.max_retrans = static_cast<std::uint8_t>(v[0] >> 6);
  r.tx_integer = static_cast<std::uint8_t>((v[0] >> 2) & 0x0f);
  r.cell_bar_access = (v[0] & 0x02) != 0;
  r.re = (v[0] & 0x01) != 0;
  r.ec = (v[1] & 0x04) != 0;
  r.access_classes_barred = static_cast<std::uint16_t>(((v[1] & 0xfb) << 8) | v[2]);
  return r;
}

// 10.5.2.4: octet 2 = CELL-RESELECT-HYSTERESIS (3) | MS-TXPWR-MAX-CCH (5);
// octet 3 = ACS | NECI | RXLEV-ACCESS-MIN (6).
CellSelectionParameters decode_cell_selection(std::span<const std::uint8_t> v) {
  need(v, 2, "cell selection parameters");
  CellSelectionParameters c;
  c.cell_reselect_hysteresis = static_cast<std::uint8_t>(v[0] >> 5);
  c.ms_txpwr_max_cch = static_cast<std::uint8_t>(v[0] & 0x1f);
  c.acs = (v[1] & 0x80) != 0;
  c.neci = (v[1] & 0x40) != 0;
  c.rxlev_access_min = static_cast<std::uint8_t>(v[1] & 0x3f);
  return c;
}

// 10.5.2.11: octet 2 = MSCR | ATT | BS_AG_BLKS_RES (3) | CCCH_CONF (3);
// octet 3 = spare | CBQ3 (2) | spare (2) | BS_PA_MFRMS (3); octet 4 = T3212.
ControlChannelDescription decode_control_channel(std::span<const std::uint8_t> v) {
  need(v, 3, "control channel description");
  ControlChannelDescription c;
  c.mscr = (v[0] & 0x80) != 0;
  c.att = (v[0] & 0x40) != 0;
  c.bs_ag_blks_res = static_cast<std::uint8_t>((v[0] >> 3) & 0x07);
  c.ccch_conf = static_cast<std::uint8_t>(v[0] & 0x07);
  if (c.ccch_conf == 3 || c.ccch_conf == 5 || c.ccch_conf == 7) {
    throw tw::InputError("control channel description: CCCH_CONF " + std::to_string(c.ccch_conf) +
                         " is a reserved value");
  }
  c.cbq3 = static_cast<std::uint8_t>((v[1] >> 5) & 0x03);
  c.bs_pa_mfrms = static_cast<std::uint8_t>((v[1] & 0x07) + 2);
  c.t3212 = v[2];
  return c;
}

// 10.5.2.3: DN-IND | PWRC | DTX (2) | RADIO-LINK-TIMEOUT (4).
CellOptions decode_cell_options(std::uint8_t v) {
  CellOptions o;
  o.dn_ind = (v & 0x80) != 0;
  o.pwrc = (v & 0x40) != 0;
  o.dtx = static_cast<std::uint8_t>((v >> 4) & 0x03);
  o.radio_link_timeout = static_cast<std::uint8_t>(v & 0x0f);
  return o;
}

// 10.5.2.5: octet 2 = channel type and TDMA offset (5) | TN (3); octet 3 = TSC (3) | H |
// (H=0: spare (2) | ARFCN high (2); octet 4 = ARFCN low) (H=1: MAIO high (4); octet 4 = MAIO low (2) | HSN (6)).
ChannelDescription decode_channel_description(std::span<const std::uint8_t> v) {
  need(v, 3, "channel description");
  ChannelDescription c;
  c.channel_type_tdma_offset = static_cast<std::uint8_t>(v[0] >> 3);
  c.tn = static_cast<std::uint8_t>(v[0] & 0x07);
  const unsigned t = c.channel_type_tdma_offset;
  if (t == 0x01) {
    c.channel_type = "TCH/F";
  } else if ((t & 0x1e) == 0x02) {
    c.channel_type = "TCH/H";
    c.subchannel = static_cast<std::uint8_t>(t & 0x01);
  } else if ((t & 0x1c) == 0x04) {
    c.channel_type = "SDCCH/4";
    c.subchannel = static_cast<std::uint8_t>(t & 0x03);
  } else if ((t & 0x18) == 0x08) {
    c.channel_type = "SDCCH/8";
    c.subchannel = static_cast<std::uint8_t>(t & 0x07);
  } else {
    c.channel_type = "reserved";
  }
  c.tsc = static_cast<std::uint8_t>(v[1] >> 5);
  c.hopping = (v[1] & 0x10) != 0;
  if (c.hopping) {
    c.maio = static_cast<std::uint8_t>(((v[1] & 0x0f) << 2) | (v[2] >> 6));
    c.hsn = static_cast<std::uint8_t>(v[2] & 0x3f);
  } else {
    c.arfcn = static_cast<std::uint16_t>(((v[1] & 0x03) << 8) | v[2]);
  }
  return c;
}

// 10.5.2.25a (CSN.1): Channel type (5, ignored) TN (3) TSC (3)
//   { 0 { 0 <spare> <ARFCN:10> | 1 <spare> <MAIO:6> <MA_NUMBER_IND> { 0 <spare:2> | 1 <CHANGE_MARK_1:2> } }
//   | 1 <MAIO:6> <HSN:6> }
ChannelDescription decode_packet_channel_description(std::span<const std::uint8_t> v) {
  need(v, 3, "packet channel description");
  BitReader r(v.first(3));
  ChannelDescription c;
  c.channel_type_tdma_offset = static_cast<std::uint8_t>(r.bits(5, "channel type"));
  c.channel_type = "PDCH";
  c.tn = static_cast<std::uint8_t>(r.bits(3, "TN"));
  c.tsc = static_cast<std::uint8_t>(r.bits(3, "TSC"));
  if (!r.bit("H")) {
    if (!r.bit("hopping encoding")) {
      r.skip(1, "spare");
      c.arfcn = static_cast<std::uint16_t>(r.bits(10, "ARFCN"));
    } else {
      c.hopping = true;
      c.indirect_hopping = true;
      r.skip(1, "spare");
      c.maio = static_cast<std::uint8_t>(r.bits(6, "MAIO"));
      r.skip(1 + 1 + 2, "MA_NUMBER_IND / CHANGE_MARK_1");
    }
  } else {
    c.hopping = true;
    c.maio = static_cast<std::uint8_t>(r.bits(6, "MAIO"));
    c.hsn = static_cast<std::uint8_t>(r.bits(6, "HSN"));
  }
  return c;
}

// 10.5.2.30: octet 2 = RA; octet 3 = T1' (5) | T3 high (3); octet 4 = T3 low (3) | T2 (5).
RequestReference decode_request_reference(std::span<const std::uint8_t> v) {
  need(v, 3, "request reference");
  RequestReference rr = decode_starting_time(v.subspan(1, 2));
  rr.ra = v[0];
  return rr;
}

RequestReference decode_starting_time(std::span<const std::uint8_t> v) {
  need(v, 2, "starting time");
  RequestReference rr;
  rr.t1_prime = static_cast<std::uint8_t>(v[0] >> 3);
  rr.t3 = static_cast<std::uint8_t>(((v[0] & 0x07) << 3) | (v[1] >> 5));
  rr.t2 = static_cast<std::uint8_t>(v[1] & 0x1f);
  return rr;
}

// 10.5.2.22 (bits 6,5 = EXT-IND, BA-IND) and 10.5.2.22a (bits 7,6 = multiband reporting, bit 5 = BA-IND).
NeighbourCells decode_neighbour_cells(std::span<const std::uint8_t> v, bool ncd2) {
  need(v, 16, ncd2 ? "neighbour cell description 2" : "neighbour cell description");
  NeighbourCells n;
  n.ba_ind = (v[0] & 0x10) != 0;
  if (ncd2) {
    n.multiband_reporting = static_cast<std::uint8_t>((v[0] >> 5) & 0x03);
  } else {
    n.ext_ind = (v[0] & 0x20) != 0;
  }
  auto fl = decode_frequency_list(v.first(16), ncd2 ? kFormatBitsNcd2 : kFormatBitsDefault);
  if (!fl.ok) throw tw::InputError((ncd2 ? "neighbour cell description 2: " : "neighbour cell description: ") + fl.error);
  n.format = fl.format;
  n.arfcns = std::move(fl.arfcns);
  return n;
}

// 24.008 10.5.1.4: octet 3 = identity digit 1 (4) | odd/even | type (3); then BCD digits (IMSI, IMEI,
// IMEISV; filler 1111 in the last high nibble when even) or 4 octets of TMSI.
void add_mobile_identity(std::span<const std::uint8_t> v, PagingSummary& s, bool keep) {
  if (v.empty()) throw tw::InputError("mobile identity: length 0");
  const unsigned type = v[0] & 0x07;
  const bool odd = (v[0] & 0x08) != 0;
  MobileIdentity id;
  switch (type) {
    case 0: id.type = IdentityType::none; break;
    case 1: id.type = IdentityType::imsi; break;
    case 2: id.type = IdentityType::imei; break;
    case 3: id.type = IdentityType::imeisv; break;
    case 4: id.type = IdentityType::tmsi; break;
    default: id.type = IdentityType::other; break;
  }
  if (id.type == IdentityType::tmsi) {
    if (v.size() != 5) {
      throw tw::InputError("mobile identity: TMSI needs length 5, has " + std::to_string(v.size()));
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%02x%02x%02x%02x", v[1], v[2], v[3], v[4]);
    id.value = buf;
    ++s.tmsi;
  } else if (id.type == IdentityType::imsi || id.type == IdentityType::imei || id.type == IdentityType::imeisv) {
    if (v.size() > 9) throw tw::InputError("mobile identity: digit string longer than 8 octets");
    std::string digits;
    digits.push_back(static_cast<char>('0' + (v[0] >> 4)));
    if ((v[0] >> 4) > 9) throw tw::InputError("mobile identity: digit 1 is not BCD");
    for (std::size_t i = 1; i < v.size(); ++i) {
      const unsigned lo = v[i] & 0x0f, hi = v[i] >> 4;
      if (lo > 9) throw tw::InputError("mobile identity: digit is not BCD");
      digits.push_back(static_cast<char>('0' + lo));
      const bool last = i + 1 == v.size();
      if (last && !odd) {
        if (hi != 0x0f) throw tw::InputError("mobile identity: even number of digits without 1111 filler");
      } else {
        if (hi > 9) throw tw::InputError("mobile identity: digit is not BCD");
        digits.push_back(static_cast<char>('0' + hi));
      }
    }
    id.value = digits;
    if (id.type == IdentityType::imsi) {
      ++s.imsi;
    } else {
      ++s.imei;
    }
  } else if (id.type == IdentityType::none) {
    ++s.none;
  } else {
    ++s.other;
  }
  if (keep) {
    s.identities.push_back(std::move(id));
  }
}

void note_identity(const L3Context& ctx, ParsedMessage& out, IdentityField::Coding coding, std::span<const std::uint8_t> v) {
  out.identity_fields.push_back({coding, static_cast<std::size_t>(v.data() - ctx.block.data()), v.size()});
}

void add_packed_tmsi(std::span<const std::uint8_t> v, PagingSummary& s, bool keep) {
  need(v, 4, "TMSI/P-TMSI");
  ++s.tmsi;
  if (keep) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%02x%02x%02x%02x", v[0], v[1], v[2], v[3]);
    s.identities.push_back({IdentityType::tmsi, buf});
  }
}

// <Selection Parameters> ::= <CBQ : bit (1)> <CELL_RESELECT_OFFSET : bit (6)> <TEMPORARY_OFFSET : bit (3)>
//                            <PENALTY_TIME : bit (5)>
SelectionParameters read_selection_parameters(BitReader& r) {
  SelectionParameters p;
  p.cbq = r.bit("CBQ");
  p.cell_reselect_offset = static_cast<std::uint8_t>(r.bits(6, "CELL_RESELECT_OFFSET"));
  p.temporary_offset = static_cast<std::uint8_t>(r.bits(3, "TEMPORARY_OFFSET"));
  p.penalty_time = static_cast<std::uint8_t>(r.bits(5, "PENALTY_TIME"));
  return p;
}

// <GPRS Indicator> ::= <RA COLOUR : bit (3)> <SI13 POSITION : bit>
GprsIndicator read_gprs_indicator(BitReader& r) {
  GprsIndicator g;
  g.ra_colour = static_cast<std::uint8_t>(r.bits(3, "RA COLOUR"));
  g.si13_position = static_cast<std::uint8_t>(r.bits(1, "SI13 POSITION"));
  return g;
}

// The end of Immediate Assignment (9.1.18) and Immediate Assignment Extended (9.1.19): mobile allocation
// (LV, 10.5.2.21, at most `max_ma_octets`), optional starting time (TV, IEI 0x7C, 10.5.2.38), nothing else
// within the L2 pseudo length; what follows is the rest octets.
void decode_allocation_tail(OctetCursor& c, const L3Context& ctx, std::size_t max_ma_octets,
                            ImmediateAssignmentInfo& ia) {
  ia.mobile_allocation_length = c.u8("mobile allocation length");
  if (ia.mobile_allocation_length > max_ma_octets) {
    throw tw::InputError("mobile allocation: length " + std::to_string(ia.mobile_allocation_length) + " > " +
                         std::to_string(max_ma_octets));
  }
  const auto ma = c.take(ia.mobile_allocation_length, "mobile allocation");
  ia.mobile_allocation.assign(ma.begin(), ma.end());
  if (c.remaining() != 0) {
    const std::uint8_t iei = c.u8("starting time IEI");
    if (iei != 0x7c) throw tw::InputError("unexpected IEI " + hex8(iei) + " (starting time is 0x7c)");
    ia.starting_time = decode_starting_time(c.take(2, "starting time"));
  }
  if (c.remaining() != 0) throw tw::InputError("octets left within the L2 pseudo length after the starting time");
  ia.rest_octets_length = ctx.block.size() - ctx.l3_end;
}

}  // namespace tw::gsm::detail
