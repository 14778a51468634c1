// Writes the synthesizer-made part of the seed corpora (tests/fuzz/corpus/<harness>/syn_*): L3 blocks of every
// message the synthesizer encodes (tools/synth/l3, for the built-in scenes' cells), frequency list fields,
// xCCH/SCH soft bits of those blocks, and the built-in scenes as JSON. Run once after the encoders change:
//   build-fuzz/fuzz/fuzz_make_corpus tests/fuzz/corpus
// The real-capture seeds (gr-gsm's decodes in /work/shared) come from make_corpus_shared.py.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "tools/synth/l3/encode.hpp"
#include "tools/synth/scene.hpp"

extern "C" {
#include <osmocom/coding/gsm0503_coding.h>
}

namespace fs = std::filesystem;
namespace l3 = tw::synth::l3;

namespace {

fs::path root;

void put(const std::string& harness, const std::string& name, const std::vector<std::uint8_t>& bytes) {
  fs::create_directories(root / harness);
  std::FILE* f = std::fopen((root / harness / name).c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + name);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

template <class A>
std::vector<std::uint8_t> with_mode(std::uint8_t mode, const A& a) {
  std::vector<std::uint8_t> v{mode};
  v.insert(v.end(), a.begin(), a.end());
  return v;
}

// 45.003 4.1 / 4.7 coded bits as osmocom soft bits (bit 0 -> +127, bit 1 -> -127).
std::vector<std::uint8_t> soft_xcch(const l3::L2Block& b) {
  ubit_t bursts[4 * 116];
  gsm0503_xcch_encode(bursts, b.data());
  std::vector<std::uint8_t> v{0};
  for (ubit_t u : bursts) v.push_back(static_cast<std::uint8_t>(static_cast<std::int8_t>(u ? -127 : 127)));
  return v;
}

std::vector<std::uint8_t> soft_sch(int bsic, std::uint32_t fn) {
  const std::uint32_t t1 = (fn / 1326) % 2048, t2 = fn % 26, t3p = (fn % 51 - 1) / 10;
  const std::uint8_t sb[4] = {static_cast<std::uint8_t>((bsic << 2) | (t1 >> 9)), static_cast<std::uint8_t>(t1 >> 1),
                              static_cast<std::uint8_t>(((t1 & 1) << 7) | (t2 << 2) | (t3p >> 1)),
                              static_cast<std::uint8_t>(t3p & 1)};
  ubit_t coded[78];
  gsm0503_sch_encode(coded, sb);
  std::vector<std::uint8_t> v(1 + 148, 0);
  v[0] = 1;
  for (int i = 0; i < 39; ++i) {
    v[1 + 3 + i] = static_cast<std::uint8_t>(static_cast<std::int8_t>(coded[i] ? -127 : 127));
    v[1 + 106 + i] = static_cast<std::uint8_t>(static_cast<std::int8_t>(coded[39 + i] ? -127 : 127));
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s tests/fuzz/corpus\n", argv[0]);
    return 2;
  }
  root = argv[1];
  std::vector<std::pair<std::string, l3::L2Block>> blocks;
  int n = 0;
  for (const auto& scene_name : tw::synth::builtin_scene_names()) {
    const auto scene = tw::synth::builtin_scene(scene_name);
    put("scene", "syn_" + scene_name + ".json", [&] {
      const std::string s = tw::synth::scene_to_json(scene).dump(1);
      return std::vector<std::uint8_t>(s.begin(), s.end());
    }());
    for (const auto& cell : scene.cells) {
      const std::string c = std::to_string(n++);
      blocks.emplace_back("si1_" + c, l3::encode_si1(cell));
      blocks.emplace_back("si2_" + c, l3::encode_si2(cell));
      blocks.emplace_back("si2bis_" + c, l3::encode_si2bis(cell));
      blocks.emplace_back("si2ter_" + c, l3::encode_si2ter(cell));
      int q = 0;
      for (const auto& b : l3::encode_si2quater_instances(cell)) blocks.emplace_back("si2quater_" + c + "_" + std::to_string(q++), b);
      blocks.emplace_back("si3_" + c, l3::encode_si3(cell));
      blocks.emplace_back("si4_" + c, l3::encode_si4(cell));
      blocks.emplace_back("si13_" + c, l3::encode_si13(cell));
      if (n > 6) break;
    }
  }
  l3::MobileIdentity tmsi, imsi, none;
  tmsi.tmsi = 0x2402810b;
  imsi.kind = l3::MobileIdentity::Kind::imsi;
  imsi.imsi_digits = {2, 6, 2, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0};
  none.kind = l3::MobileIdentity::Kind::none;
  blocks.emplace_back("pr1_tmsi", l3::encode_paging_request_1({tmsi}));
  blocks.emplace_back("pr1_imsi_tmsi", l3::encode_paging_request_1({imsi, tmsi}, 1, {1, 2}));
  blocks.emplace_back("pr1_none", l3::encode_paging_request_1({none}));
  blocks.emplace_back("pr2", l3::encode_paging_request_2(1, 2, &imsi, 0, {3, 1}));
  blocks.emplace_back("pr3", l3::encode_paging_request_3({1, 2, 3, 4}, 2, {1, 1}));
  l3::ImmediateAssignment ia;
  ia.arfcn = 62;
  ia.ra = 0x8f;
  ia.fn = 123456;
  ia.timing_advance = 3;
  blocks.emplace_back("ia", l3::encode_immediate_assignment(ia));
  ia.hopping = true;
  ia.maio = 3;
  ia.hsn = 17;
  ia.cell_allocation = {10, 20, 30, 40};
  ia.mobile_allocation_arfcns = {20, 40};
  blocks.emplace_back("ia_hopping", l3::encode_immediate_assignment(ia));
  blocks.emplace_back("iar", l3::encode_immediate_assignment_reject({{0x81, 1000}, {0x22, 2000}}, 10, 0));
  blocks.emplace_back("fill", l3::l2_fill_frame());
  for (const auto& [name, b] : blocks) {
    put("gsm_l3", "syn_" + name, std::vector<std::uint8_t>(b.begin(), b.end()));
    if (name.rfind("si2", 0) == 0 || name.rfind("si3", 0) == 0 || name.rfind("pr1", 0) == 0 || name == "ia")
      put("gsm_bursts", "syn_xcch_" + name, soft_xcch(b));
  }
  // Frequency lists: decode mode (octet 0 even) and round-trip mode (odd) for each format.
  const std::vector<std::vector<int>> sets = {
      {1, 5, 62, 124}, {0, 975, 1000, 1023}, {512, 520, 530, 600, 700}, {600, 610, 620, 630, 700, 720},
      {128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140}, {300, 310, 320}, {}};
  int s = 0;
  for (const auto& set : sets) {
    try {
      const auto f = l3::encode_neighbour_cells(set, false, true);
      put("gsm_frequency_list", "syn_decode_" + std::to_string(s), with_mode(0, f));
    } catch (const std::exception&) {
    }
    std::vector<std::uint8_t> rt{1};
    for (int a : set) {
      rt.push_back(static_cast<std::uint8_t>(a >> 8));
      rt.push_back(static_cast<std::uint8_t>(a));
    }
    put("gsm_frequency_list", "syn_roundtrip_" + std::to_string(s), rt);
    ++s;
  }
  put("gsm_bursts", "syn_sch_fn1", soft_sch(23, 1));
  put("gsm_bursts", "syn_sch_fn2715631", soft_sch(63, 2715631));
  put("gsm_bursts", "syn_ts0_fn", {2, 0x00, 0x29, 0x70, 0x3f});
  std::printf("wrote %zu L3 blocks and their derivatives under %s\n", blocks.size(), root.c_str());
  return 0;
}
