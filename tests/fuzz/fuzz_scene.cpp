// Scene JSON (tools/synth/scene.cpp parse_scene_text, what load_scene does with a file). Only tw::InputError
// may come out, naming the file. An accepted scene written back with scene_to_json parses again to the same
// JSON (the truth files and `towerwatch synth` rely on that round trip).
#include <cstddef>
#include <cstdint>
#include <string>

#include "src/core/error.hpp"
#include "tests/fuzz/fuzz_common.hpp"
#include "tools/synth/scene.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16384) return -1;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string source = "fuzz-scene.json";
  tw::synth::Scene scene;
  try {
    scene = tw::synth::parse_scene_text(text, source);
  } catch (const tw::InputError& e) {
    TW_FUZZ_CHECK(std::string(e.what()).find(source) != std::string::npos, std::string("error without the file: ") + e.what());
    return 0;
  }
  const nlohmann::json once = tw::synth::scene_to_json(scene);
  tw::synth::Scene again;
  try {
    again = tw::synth::parse_scene(once, "round-trip");
  } catch (const tw::InputError& e) {
    TW_FUZZ_CHECK(false, std::string("scene_to_json output is refused: ") + e.what() + "\n" + once.dump());
  }
  const nlohmann::json twice = tw::synth::scene_to_json(again);
  TW_FUZZ_CHECK(once == twice, "scene JSON does not round-trip:\n" + once.dump() + "\n" + twice.dump());
  return 0;
}
