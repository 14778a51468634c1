// The SceneRenderer constructor for scenes with LTE cells that uses the L3 encoders for the GSM cells
// (kept apart from renderer.cpp as renderer_default.cpp is, so PHY tests link without them).
#include "tools/synth/l3_provider.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

namespace tw::synth {

SceneRenderer::SceneRenderer(const SceneWithLte& scene, double center_freq_hz, double sample_rate_hz, double start_time_s)
    : SceneRenderer(scene, center_freq_hz, sample_rate_hz, start_time_s,
                    [](const CellConfig& cell, int, std::uint64_t seed) -> std::unique_ptr<BlockProvider> {
                      return std::make_unique<L3BlockProvider>(cell, seed);
                    }) {}

}  // namespace tw::synth
