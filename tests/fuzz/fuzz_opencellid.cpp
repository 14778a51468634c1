// OpenCellID CSV import (src/store/baseline.cpp import_opencellid) of an input file into an empty database.
// Only tw::InputError may come out (none is expected: bad rows are counted, never fatal). Invariants: every
// row is either imported or bad, the first bad rows are reported (at most 10), and what lands in the database
// is in range (MCC 0..999, latitude/longitude, source "opencellid", radio GSM/UMTS/LTE/NR).
#include <cstddef>
#include <cstdint>
#include <string>

#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "src/store/store.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    tw::log::set_level(tw::log::Level::quiet);
    return true;
  }();
  (void)quiet;
  if (size > 1 << 16) return -1;
  const auto csv = tw::fuzz::scratch_dir() / "cells.csv";
  tw::fuzz::write_bytes(csv, data, size);
  // One database per process on the scratch folder (WAL needs a file), emptied before every input.
  static tw::store::Store store(tw::fuzz::scratch_dir() / "fuzz.db");
  store.delete_known_cells("opencellid");
  // Small batches so the input exercises the transaction turnover too.
  const tw::store::ImportReport r = tw::store::import_opencellid(store, csv, 3);
  TW_FUZZ_CHECK(r.rows == r.imported + r.bad, "rows " + std::to_string(r.rows) + " != imported " +
                                                  std::to_string(r.imported) + " + bad " + std::to_string(r.bad));
  TW_FUZZ_CHECK(r.first_errors.size() == static_cast<std::size_t>(std::min<std::int64_t>(r.bad, 10)), "first_errors");
  for (const auto& e : r.first_errors) TW_FUZZ_CHECK(e.size() < 512, "an error message quotes too much of a row");
  const auto cells = store.known_cells();
  TW_FUZZ_CHECK(static_cast<std::int64_t>(cells.size()) <= r.imported, "more cells than imported rows");
  for (const auto& k : cells) {
    TW_FUZZ_CHECK(k.source == "opencellid", k.source);
    TW_FUZZ_CHECK(k.rat == "GSM" || k.rat == "UMTS" || k.rat == "LTE" || k.rat == "NR", k.rat);
    TW_FUZZ_CHECK(k.mcc && *k.mcc >= 0 && *k.mcc <= 999, "mcc");
    TW_FUZZ_CHECK(k.lat && *k.lat >= -90 && *k.lat <= 90 && k.lon && *k.lon >= -180 && *k.lon <= 180, "position");
    (void)tw::store::known_cell_json(k).dump();
  }
  return 0;
}
