#include "tools/synth/l3/ie_common.hpp"

#include <stdexcept>

namespace tw::synth::l3::detail {

void check_range(const char* what, const char* field, long long value, long long lo, long long hi) {
  if (value < lo || value > hi) {
    throw std::invalid_argument(std::string(what) + ": " + field + " = " + std::to_string(value) +
                                " out of range " + std::to_string(lo) + ".." + std::to_string(hi));
  }
}

BitWriter::BitWriter(std::uint8_t* octets, std::size_t count, std::string what, std::uint8_t fill)
    : p_(octets), size_(count * 8), what_(std::move(what)) {
  for (std::size_t i = 0; i < count; ++i) p_[i] = fill;  // spare bits until written over
}

void BitWriter::put(std::uint32_t value, int width) {
  if (width < 0 || width > 32) throw std::invalid_argument(what_ + ": bad field width");
  if (pos_ + static_cast<std::size_t>(width) > size_) {
    throw std::invalid_argument(what_ + " does not fit in " + std::to_string(size_ / 8) + " octets");
  }
  for (int i = width - 1; i >= 0; --i) {
    const bool b = (value >> i) & 1u;
    std::uint8_t& o = p_[pos_ / 8];
    const std::uint8_t mask = static_cast<std::uint8_t>(0x80u >> (pos_ % 8));
    o = b ? static_cast<std::uint8_t>(o | mask) : static_cast<std::uint8_t>(o & ~mask);
    ++pos_;
  }
}

// CSN.1 (24.007 11.2): L is the value of the padding bit at this position, H the other one.
void BitWriter::L() { bit(padding_bit(pos_)); }
void BitWriter::H() { bit(!padding_bit(pos_)); }

L2Block start_block(int l2_pseudo_length, std::uint8_t message_type) {
  L2Block b;
  b.fill(kPadding);
  b[0] = static_cast<std::uint8_t>((l2_pseudo_length << 2) | 0x01);
  b[1] = kPdRr;
  b[2] = message_type;
  return b;
}

std::size_t put_lai(L2Block& out, std::size_t at, int mcc, int mnc, int mnc_digits, int lac) {
  check_range("LAI", "mcc", mcc, 0, 999);
  check_range("LAI", "mnc_digits", mnc_digits, 2, 3);
  check_range("LAI", "mnc", mnc, 0, mnc_digits == 2 ? 99 : 999);
  check_range("LAI", "lac", lac, 0, 65535);
  const int mcc1 = mcc / 100, mcc2 = (mcc / 10) % 10, mcc3 = mcc % 10;
  int mnc1, mnc2, mnc3;
  if (mnc_digits == 3) {
    mnc1 = mnc / 100; mnc2 = (mnc / 10) % 10; mnc3 = mnc % 10;
  } else {
    mnc1 = mnc / 10; mnc2 = mnc % 10; mnc3 = 0xf;  // 10.5.1.3: digit 3 = 1111 for a 2-digit MNC
  }
  out[at] = static_cast<std::uint8_t>(mcc2 << 4 | mcc1);
  out[at + 1] = static_cast<std::uint8_t>(mnc3 << 4 | mcc3);
  out[at + 2] = static_cast<std::uint8_t>(mnc2 << 4 | mnc1);
  out[at + 3] = static_cast<std::uint8_t>(lac >> 8);
  out[at + 4] = static_cast<std::uint8_t>(lac & 0xff);
  return at + 5;
}

std::size_t put_cell_options(L2Block& out, std::size_t at, const CellConfig& c) {
  check_range("cell options", "dtx", c.dtx, 0, 3);
  check_range("cell options", "radio_link_timeout", c.radio_link_timeout, 0, 15);
  // bit 8 spare, bit 7 PWRC, bits 6-5 DTX, bits 4-1 RADIO-LINK-TIMEOUT
  out[at] = static_cast<std::uint8_t>((c.pwrc ? 0x40 : 0) | c.dtx << 4 | c.radio_link_timeout);
  return at + 1;
}

std::size_t put_cell_selection(L2Block& out, std::size_t at, const CellConfig& c) {
  check_range("cell selection", "cell_reselect_hysteresis", c.cell_reselect_hysteresis, 0, 7);
  check_range("cell selection", "ms_txpwr_max_cch", c.ms_txpwr_max_cch, 0, 31);
  check_range("cell selection", "rxlev_access_min", c.rxlev_access_min, 0, 63);
  out[at] = static_cast<std::uint8_t>(c.cell_reselect_hysteresis << 5 | c.ms_txpwr_max_cch);
  out[at + 1] = static_cast<std::uint8_t>((c.acs ? 0x80 : 0) | (c.neci ? 0x40 : 0) | c.rxlev_access_min);
  return at + 2;
}

std::size_t put_rach_control(L2Block& out, std::size_t at, const CellConfig& c) {
  int mr;
  switch (c.max_retrans) {
    case 1: mr = 0; break;
    case 2: mr = 1; break;
    case 4: mr = 2; break;
    case 7: mr = 3; break;
    default: throw std::invalid_argument("RACH control: max_retrans = " + std::to_string(c.max_retrans) +
                                         " is not one of 1, 2, 4, 7");
  }
  check_range("RACH control", "tx_integer", c.tx_integer, 0, 15);
  // bits 8-7 max retrans, 6-3 Tx-integer, 2 CELL_BAR_ACCESS, 1 RE (0 = re-establishment allowed)
  out[at] = static_cast<std::uint8_t>(mr << 6 | c.tx_integer << 2 | (c.cell_barred ? 0x02 : 0) |
                                      (c.reestablishment_allowed ? 0 : 0x01));
  out[at + 1] = static_cast<std::uint8_t>(c.access_classes_barred >> 8);   // AC15..AC11, EC, AC9, AC8
  out[at + 2] = static_cast<std::uint8_t>(c.access_classes_barred & 0xff); // AC7..AC0
  return at + 3;
}

std::size_t put_control_channel_description(L2Block& out, std::size_t at, const CellConfig& c) {
  check_range("control channel description", "bs_ag_blks_res", c.bs_ag_blks_res, 0, 7);
  check_range("control channel description", "ccch_conf", c.ccch_conf, 0, 7);
  check_range("control channel description", "bs_pa_mfrms", c.bs_pa_mfrms, 2, 9);
  check_range("control channel description", "t3212", c.t3212, 0, 255);
  // octet 2: MSCR (1 = MSC of R99 or later), ATT, BS_AG_BLKS_RES, CCCH_CONF
  out[at] = static_cast<std::uint8_t>(0x80 | (c.att ? 0x40 : 0) | c.bs_ag_blks_res << 3 | c.ccch_conf);
  // octet 3: spare, CBQ3 = 00, spare, BS_PA_MFRMS coded as value - 2
  out[at + 1] = static_cast<std::uint8_t>(c.bs_pa_mfrms - 2);
  out[at + 2] = static_cast<std::uint8_t>(c.t3212);
  return at + 3;
}

std::size_t put_request_reference(L2Block& out, std::size_t at, std::uint8_t ra, std::uint32_t fn) {
  check_range("request reference", "fn", fn, 0, 2715647);
  const unsigned t1p = (fn / 1326) % 32, t3 = fn % 51, t2 = fn % 26;
  out[at] = ra;
  out[at + 1] = static_cast<std::uint8_t>(t1p << 3 | t3 >> 3);
  out[at + 2] = static_cast<std::uint8_t>((t3 & 7) << 5 | t2);
  return at + 3;
}

std::vector<std::uint8_t> mobile_identity_value(const MobileIdentity& id) {
  switch (id.kind) {
    case MobileIdentity::Kind::none:
      return {0xf0};  // type 000 "No Identity", even, filler 1111 (as real networks send it)
    case MobileIdentity::Kind::tmsi:
      return {0xf4, static_cast<std::uint8_t>(id.tmsi >> 24), static_cast<std::uint8_t>(id.tmsi >> 16),
              static_cast<std::uint8_t>(id.tmsi >> 8), static_cast<std::uint8_t>(id.tmsi)};
    case MobileIdentity::Kind::imsi:
    case MobileIdentity::Kind::imei: {
      const bool imsi = id.kind == MobileIdentity::Kind::imsi;
      const auto& d = id.digits;
      check_range("mobile identity", imsi ? "IMSI digit count" : "IMEI digit count", static_cast<long long>(d.size()),
                  imsi ? 6 : 15, 15);
      for (auto x : d) check_range("mobile identity", "digit", x, 0, 9);
      const bool odd = d.size() % 2 == 1;
      std::vector<std::uint8_t> v;
      // type of identity 001 IMSI, 010 IMEI (24.008 table 10.5.4)
      v.push_back(static_cast<std::uint8_t>(d[0] << 4 | (odd ? 0x08 : 0) | (imsi ? 0x01 : 0x02)));
      for (std::size_t i = 1; i < d.size(); i += 2) {
        const int hi = i + 1 < d.size() ? d[i + 1] : 0xf;  // even count: filler 1111
        v.push_back(static_cast<std::uint8_t>(hi << 4 | d[i]));
      }
      return v;
    }
  }
  throw std::invalid_argument("mobile identity: unknown kind");
}

void put_optional_selection_parameters(BitWriter& w, const CellConfig& c) {
  if (!c.selection_parameters) {
    w.L();
    return;
  }
  check_range("selection parameters", "cbq", c.cbq, 0, 1);
  check_range("selection parameters", "cro", c.cro, 0, 63);
  check_range("selection parameters", "temporary_offset", c.temporary_offset, 0, 7);
  check_range("selection parameters", "penalty_time", c.penalty_time, 0, 31);
  w.H();
  w.put(static_cast<std::uint32_t>(c.cbq), 1);
  w.put(static_cast<std::uint32_t>(c.cro), 6);
  w.put(static_cast<std::uint32_t>(c.temporary_offset), 3);
  w.put(static_cast<std::uint32_t>(c.penalty_time), 5);
}

void put_gprs_indicator(BitWriter& w, const CellConfig& c) {
  if (!c.gprs) {
    w.L();
    return;
  }
  check_range("GPRS indicator", "ra_colour", c.ra_colour, 0, 7);
  w.H();
  w.put(static_cast<std::uint32_t>(c.ra_colour), 3);
  w.put(0, 1);  // SI13_POSITION 0: SI13 on BCCH Norm
}

}  // namespace tw::synth::l3::detail

namespace tw::synth::l3 {

// 44.006 clause 5: a UI frame with address 0x03 (SAPI 0, C/R 1, EA 1), control 0x03 (UI), length
// indicator 0x01 (L = 0, M = 0, EL = 1), then fill octets 0x2B.
L2Block l2_fill_frame() {
  L2Block b;
  b.fill(detail::kPadding);
  b[0] = 0x03;
  b[1] = 0x03;
  b[2] = 0x01;
  return b;
}

}  // namespace tw::synth::l3
