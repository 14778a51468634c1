#include "tools/synth/truth.hpp"

#include <algorithm>

#include "tools/synth/scene.hpp"

namespace tw::synth {

std::string hex_octets(const L2Octets& octets) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(octets.size() * 3);
  for (std::size_t i = 0; i < octets.size(); ++i) {
    if (i) s += ' ';
    s += digits[octets[i] >> 4];
    s += digits[octets[i] & 15];
  }
  return s;
}

nlohmann::json TruthRecorder::to_json(const SceneRenderer& r, double duration_s) const {
  using nlohmann::json;
  const Scene& scene = r.scene();
  json cells = json::array();
  for (std::size_t i = 0; i < scene.cells.size(); ++i) {
    json c = cell_to_json(scene.cells[i], true);
    c["index"] = i;
    c["offset_hz"] = r.carrier_offset_hz(static_cast<int>(i));
    c["visible"] = r.cell_visible(static_cast<int>(i));
    cells.push_back(c);
  }
  auto blocks = blocks_;
  std::stable_sort(blocks.begin(), blocks.end(), [](const TruthBlock& a, const TruthBlock& b) {
    return a.t_start_s != b.t_start_s ? a.t_start_s < b.t_start_s : a.cell < b.cell;
  });
  auto sch = sch_;
  std::stable_sort(sch.begin(), sch.end(), [](const TruthSch& a, const TruthSch& b) {
    return a.t_start_s != b.t_start_s ? a.t_start_s < b.t_start_s : a.cell < b.cell;
  });
  json jb = json::array();
  for (const auto& b : blocks)
    jb.push_back({{"cell", b.cell},
                  {"arfcn", b.arfcn},
                  {"fn", b.fn},
                  {"tn", b.tn},
                  {"channel", std::string(b.channel)},
                  {"message", std::string(b.message)},
                  {"hex", hex_octets(b.octets)},
                  {"t_s", b.t_start_s}});
  json js = json::array();
  for (const auto& s : sch)
    js.push_back({{"cell", s.cell}, {"arfcn", s.arfcn}, {"fn", s.fn}, {"bsic", s.bsic}, {"t_s", s.t_start_s}});
  return {{"generator", "towerwatch synth"},
          {"scene", scene_to_json(scene)},
          {"center_freq_hz", r.center_freq_hz()},
          {"sample_rate_hz", r.sample_rate_hz()},
          {"duration_s", duration_s},
          {"cells", cells},
          {"blocks", jb},
          {"sch", js}};
}

}  // namespace tw::synth
