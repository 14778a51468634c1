// Scenes: JSON files (or built-in names) -> Scene. Strict: an unknown key or a bad value is a tw::InputError
// naming the file and the key path, e.g. "scene.json: cells[1].bsic: 64 is out of range 0..63".
//
// Top level: name, seed, noise_dbfs, receiver_ppm, dc_offset_dbfs, iq_gain_imbalance_db,
// iq_phase_imbalance_deg, cells (array). A cell accepts every CellConfig field by its name; "mnc" may be a
// number or a string of 2 or 3 digits ("01", "001", which also sets mnc_digits); "band" is a band name
// ("PGSM900", "EGSM900", "RGSM900", "GSM850", "GSM450", "GSM480", "DCS1800", "PCS1900"), derived from the
// ARFCN when absent; "si2quater" and "traffic" are objects with their struct's fields ("si2quater" given
// without "present" means present). Giving cbq, cro, temporary_offset or penalty_time turns
// selection_parameters on unless it is given too.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/synth/cell_config.hpp"

namespace tw::synth {

// A built-in name ("single", "city", "city-with-rogue", "multiband") or a path to a JSON file.
Scene load_scene(const std::string& name_or_path);
// Parses a scene document; `source` names it in errors (the file name).
Scene parse_scene(const nlohmann::json& doc, const std::string& source);
Scene parse_scene_text(const std::string& text, const std::string& source);
const std::vector<std::string>& builtin_scene_names();
Scene builtin_scene(const std::string& name);   // throws tw::InputError for an unknown name

// A centre frequency that shows the scene at `sample_rate_hz`: the middle of the cells' carriers, or, when
// they do not all fit (rate/2 - 100 kHz either side), the middle of the largest group that does; rounded to
// 1 kHz. Throws tw::InputError for a scene without cells.
double scene_center_freq_hz(const Scene& scene, double sample_rate_hz);

// The JSON form of a cell / scene with every field; parse_scene reads it back. with_frequency adds
// "frequency_hz" (the ARFCN's downlink carrier) for the truth file (parse_scene rejects that key).
nlohmann::json cell_to_json(const CellConfig& cell, bool with_frequency = true);
nlohmann::json scene_to_json(const Scene& scene);

}  // namespace tw::synth
