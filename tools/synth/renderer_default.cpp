// The SceneRenderer constructor that uses the L3 encoders (kept apart so PHY tests link without them).
#include "tools/synth/l3_provider.hpp"
#include "tools/synth/renderer.hpp"

namespace tw::synth {

SceneRenderer::SceneRenderer(const Scene& scene, double center_freq_hz, double sample_rate_hz, double start_time_s)
    : SceneRenderer(scene, center_freq_hz, sample_rate_hz, start_time_s,
                    [](const CellConfig& cell, int, std::uint64_t seed) -> std::unique_ptr<BlockProvider> {
                      return std::make_unique<L3BlockProvider>(cell, seed);
                    }) {}

}  // namespace tw::synth
