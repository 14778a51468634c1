// RAII prepared statement over a Store's connection (either backend): bound parameters only (values never
// enter SQL text). Internal to src/store.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "src/store/connection.hpp"
#include "src/store/store.hpp"

namespace tw::store {

class Stmt {
 public:
  Stmt(Store& store, const std::string& sql) : c_(store.connection().prepare(sql)) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  void bind(int i, std::int64_t v) { c_->bind_int(i, v); }
  void bind(int i, int v) { c_->bind_int(i, v); }
  void bind(int i, double v) { c_->bind_double(i, v); }
  void bind(int i, const std::string& v) { c_->bind_text(i, v); }
  void bind_null(int i) { c_->bind_null(i); }
  template <class T>
  void bind(int i, const std::optional<T>& v) {
    if (v)
      bind(i, *v);
    else
      bind_null(i);
  }

  // true: a row is ready; false: done.
  bool step() { return c_->step(); }
  void run() {
    while (c_->step()) {
    }
  }
  void reset() { c_->reset(); }
  std::int64_t changes() const { return c_->changes(); }
  int columns() const { return c_->columns(); }

  bool is_null(int c) const { return c_->is_null(c); }
  std::int64_t col_int(int c) const { return c_->col_int(c); }
  double col_double(int c) const { return c_->col_double(c); }
  std::string col_text(int c) const { return c_->col_text(c); }
  std::optional<std::int64_t> col_opt_int(int c) const {
    if (is_null(c)) return std::nullopt;
    return col_int(c);
  }
  std::optional<double> col_opt_double(int c) const {
    if (is_null(c)) return std::nullopt;
    return col_double(c);
  }
  std::optional<std::string> col_opt_text(int c) const {
    if (is_null(c)) return std::nullopt;
    return col_text(c);
  }

 private:
  std::unique_ptr<Cursor> c_;
};

}  // namespace tw::store
