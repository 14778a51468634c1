// SceneRenderer: the complex baseband a receiver tuned to center_freq_hz at sample_rate_hz would see from a
// Scene, rendered in a stream (used by `towerwatch synth` and the simulated radio).
//
// Per cell: C0 frames (c0_schedule) -> GMSK at 4 samples/symbol (45.004) -> multipath -> resampling to the
// output rate with the cell's timing (path delay, cell clock error, receiver clock error) -> frequency shift
// to the carrier's offset -> gain to power_dbfs. Then noise, DC offset and IQ imbalance of the receiver.
//
// LTE cells (SceneWithLte, scene.hpp) go through tools/synth/lte/lte_renderer.hpp (OFDM at the cell's
// natural rate, same resampling, timing and clock conventions) and share the receiver noise and impairments.
//
// Clock convention: receiver_ppm > 0 means the receiver's reference runs slow, so every carrier appears at
// f * (1 + receiver_ppm * 1e-6) and every symbol rate is scaled the same way (the correction a calibration
// would measure). A cell's freq_offset_hz shifts its carrier and scales its symbol clock by
// (1 + freq_offset_hz / carrier).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "hw/iq_source.hpp"
#include "tools/synth/c0_schedule.hpp"
#include "tools/synth/cell_config.hpp"

namespace tw::synth {

struct SceneWithLte;   // scene.hpp
namespace lte {
struct LteCellConfig;
}
namespace nr {
struct NrCellConfig;
class NrCellChain;
}

// A block one cell sent, complete within the render (t_start_s .. t_end_s, receiver time, while the cell
// was on).
struct TruthBlock {
  int cell = 0;
  int arfcn = 0;
  std::uint32_t fn = 0;   // first frame of the block
  int tn = 0;
  std::string_view channel;   // "BCCH" | "CCCH" | "SDCCH"
  std::string_view message;   // "SI3", "Paging Request Type 1", ...
  L2Octets octets{};
  double t_start_s = 0.0, t_end_s = 0.0;
  std::vector<TruthIdentity> identities{};  // bystander identities in the block (paging)
};
struct TruthSch {
  int cell = 0;
  int arfcn = 0;
  std::uint32_t fn = 0;
  int bsic = 0;
  double t_start_s = 0.0;
};

class TruthSink {
 public:
  virtual ~TruthSink() = default;
  virtual void on_block(const TruthBlock& block) = 0;
  virtual void on_sch(const TruthSch& sch) = 0;
};

// Makes the block source of cell `index` (seed: the cell's own seed). The default one (l3_provider.hpp)
// encodes System Information and CCCH traffic with the L3 encoders.
using BlockProviderFactory =
    std::function<std::unique_ptr<BlockProvider>(const CellConfig& cell, int index, std::uint64_t cell_seed)>;

// Seeds: every cell has its own, derived from the scene seed and its index (splitmix64).
std::uint64_t cell_seed(std::uint64_t scene_seed, int index);
// The scene as rendered: every cell's first_fn set (from its seed when the scene had none).
Scene resolve_scene(const Scene& scene);
// The same for LTE cells: every first_sfn set (from cell_seed(scene seed, kLteSeedBase + index)).
constexpr int kLteSeedBase = 0x4c7e0;
std::vector<lte::LteCellConfig> resolve_lte_cells(const std::vector<lte::LteCellConfig>& cells, std::uint64_t scene_seed);
// NR cells: every one resolved (nr_cell_config.hpp) and its first_sfn set (from cell_seed(scene seed,
// kNrSeedBase + index) when absent).
constexpr int kNrSeedBase = 0x5e900;
std::vector<nr::NrCellConfig> resolve_nr_cells(const std::vector<nr::NrCellConfig>& cells, std::uint64_t scene_seed);

class SceneRenderer {
 public:
  static constexpr int kWorkingSps = 4;   // GMSK working rate: 4 samples/symbol (1083333.33 sps)

  // Uses the L3 block provider (links the L3 encoders; defined in renderer_default.cpp).
  SceneRenderer(const Scene& scene, double center_freq_hz, double sample_rate_hz, double start_time_s = 0.0);
  SceneRenderer(const Scene& scene, double center_freq_hz, double sample_rate_hz, double start_time_s,
                BlockProviderFactory factory);
  // GSM and LTE cells (the first one uses the L3 block provider, defined in lte/renderer_lte_default.cpp).
  SceneRenderer(const SceneWithLte& scene, double center_freq_hz, double sample_rate_hz, double start_time_s = 0.0);
  SceneRenderer(const SceneWithLte& scene, double center_freq_hz, double sample_rate_hz, double start_time_s,
                BlockProviderFactory factory);
  ~SceneRenderer();
  SceneRenderer(const SceneRenderer&) = delete;
  SceneRenderer& operator=(const SceneRenderer&) = delete;

  void render(std::span<cf32> out);     // the next out.size() samples, continuing seamlessly
  void retune(double center_freq_hz);   // keeps scene time running (for sweeps)
  // Jumps to scene time time_s (e.g. the simulated radio skipping samples lost to an overflow): the next
  // render() starts there. Cells resynchronise to their schedule at that time; their carrier phases
  // restart. The noise of a sample depends only on its absolute index round(time * rate), so it is the same
  // however the stream is cut or sought.
  void seek(double time_s);
  double time_s() const;
  // A cell's level from the next render() on (its power_dbfs replaced; the simulated radio's receiver track
  // moves it, tools/synth/geometry.hpp). Throws std::out_of_range for a bad index.
  void set_cell_power_dbfs(int cell, double power_dbfs);
  void set_lte_cell_power_dbfs(int cell, double power_dbfs);
  void set_truth_sink(TruthSink* sink);

  const Scene& scene() const;            // as resolved (first_fn of every cell)
  double center_freq_hz() const;
  double sample_rate_hz() const;
  // Offset of cell i's carrier from the centre as the receiver sees it, and whether it is rendered.
  double carrier_offset_hz(int cell) const;
  bool cell_visible(int cell) const;
  // LTE cells as resolved (first_sfn of every cell), the offset of each one's carrier from the centre as
  // the receiver sees it, and whether any of its subcarriers is rendered.
  const std::vector<lte::LteCellConfig>& lte_cells() const;
  double lte_carrier_offset_hz(int cell) const;
  bool lte_cell_visible(int cell) const;
  // NR cells as resolved, each one's chain (SSB times, tools/synth/nr/nr_renderer.hpp), whether its PSS is in
  // the rendered band.
  const std::vector<nr::NrCellConfig>& nr_cells() const;
  const nr::NrCellChain& nr_chain(int cell) const;
  bool nr_cell_visible(int cell) const;
  void set_nr_cell_power_dbfs(int cell, double power_dbfs);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw::synth
