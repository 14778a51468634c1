// RAII prepared statement over a Store's connection: bound parameters only (values never enter SQL text).
// Internal to src/store.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "src/store/store.hpp"

namespace tw::store {

class Stmt {
 public:
  // The connection's cached statement for this SQL (reset, no bindings), prepared on first use.
  Stmt(Store& store, const std::string& sql) : store_(store), s_(store.acquire_statement(sql, slot_)) {}
  ~Stmt() { store_.release_statement(s_, slot_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  void bind(int i, std::int64_t v) { check(sqlite3_bind_int64(s_, i, v)); }
  void bind(int i, int v) { check(sqlite3_bind_int64(s_, i, v)); }
  void bind(int i, double v) { check(sqlite3_bind_double(s_, i, v)); }
  // Explicit length: embedded NULs and any bytes are stored verbatim.
  void bind(int i, const std::string& v) {
    check(sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void bind_null(int i) { check(sqlite3_bind_null(s_, i)); }
  template <class T>
  void bind(int i, const std::optional<T>& v) {
    if (v)
      bind(i, *v);
    else
      bind_null(i);
  }

  // true: a row is ready; false: done.
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    store_.fail("statement '" + std::string(sqlite3_sql(s_)) + "' failed");
  }
  void run() {
    if (step()) store_.fail("statement returned rows unexpectedly");
  }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

  bool is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::int64_t col_int(int c) const { return sqlite3_column_int64(s_, c); }
  double col_double(int c) const { return sqlite3_column_double(s_, c); }
  std::string col_text(int c) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    const int n = sqlite3_column_bytes(s_, c);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
  }
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
  void check(int rc) {
    if (rc != SQLITE_OK) store_.fail("cannot bind a parameter");
  }
  Store& store_;
  Store::CachedStatement* slot_ = nullptr;  // declared before s_: set while s_ is initialised
  sqlite3_stmt* s_ = nullptr;
};

}  // namespace tw::store
