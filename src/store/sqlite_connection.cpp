// The SQLite backend: one file, WAL journal, synchronous=NORMAL, foreign keys on; the schema's version in
// PRAGMA user_version, PRAGMA application_id marks the file as towerwatch's. Prepared statements are cached
// per connection (compiling an INSERT costs more than running it, and an import runs one per row).
#include <sqlite3.h>

#include <unordered_map>

#include "src/core/error.hpp"
#include "src/store/connection.hpp"

namespace tw::store {

namespace {

constexpr std::int64_t kApplicationId = 0x54574442;  // "TWDB"

class SqliteConnection;

struct CachedStatement {
  sqlite3_stmt* stmt = nullptr;
  bool in_use = false;
};

class SqliteCursor final : public Cursor {
 public:
  SqliteCursor(SqliteConnection& c, sqlite3_stmt* s, CachedStatement* slot) : c_(c), s_(s), slot_(slot) {}
  ~SqliteCursor() override;
  void bind_int(int i, std::int64_t v) override { check(sqlite3_bind_int64(s_, i, v)); }
  void bind_double(int i, double v) override { check(sqlite3_bind_double(s_, i, v)); }
  // Explicit length: embedded NULs and any bytes are stored verbatim.
  void bind_text(int i, const std::string& v) override {
    check(sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void bind_null(int i) override { check(sqlite3_bind_null(s_, i)); }
  bool step() override;
  void reset() override {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  bool is_null(int c) const override { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::int64_t col_int(int c) const override { return sqlite3_column_int64(s_, c); }
  double col_double(int c) const override { return sqlite3_column_double(s_, c); }
  std::string col_text(int c) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    const int n = sqlite3_column_bytes(s_, c);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
  }
  std::int64_t changes() const override { return changes_; }
  int columns() const override { return sqlite3_column_count(s_); }

 private:
  void check(int rc);
  SqliteConnection& c_;
  sqlite3_stmt* s_;
  CachedStatement* slot_;  // the cache entry handed out, or nullptr for an uncached statement
  std::int64_t changes_ = 0;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) : name_(path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    db_ = raw;  // even on failure sqlite hands back a handle to close
    if (rc != SQLITE_OK) fail("cannot open the database");
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    // The first read of the file tells an SQLite database from anything else.
    std::int64_t app_id = 0;
    try {
      app_id = query_int("PRAGMA application_id");
    } catch (const RuntimeFailure&) {
      if ((sqlite3_errcode(db_) & 0xff) == SQLITE_NOTADB)
        throw InputError(name_ + ": not a towerwatch database (not an SQLite file)");
      throw;
    }
    const std::int64_t version = query_int("PRAGMA user_version");
    if (app_id != 0 && app_id != kApplicationId)
      throw InputError(name_ + ": not a towerwatch database (an SQLite file of another application)");
    if (version == 0 && query_int("SELECT count(*) FROM sqlite_schema") > 0)
      throw InputError(name_ + ": not a towerwatch database (an SQLite file with other tables)");
    auto mode = prepare("PRAGMA journal_mode=WAL");
    if (!mode->step() || mode->col_text(0) != "wal") fail("cannot switch to WAL journal mode");
    mode.reset();
    exec("PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
  }
  ~SqliteConnection() override {
    for (auto& [sql, c] : statements_) sqlite3_finalize(c.stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::sqlite; }
  const std::string& name() const override { return name_; }

  std::unique_ptr<Cursor> prepare(const std::string& sql) override {
    auto it = statements_.find(sql);
    if (it != statements_.end() && !it->second.in_use) {
      it->second.in_use = true;
      return std::make_unique<SqliteCursor>(*this, it->second.stmt, &it->second);
    }
    // A statement an outer cursor still holds is not handed out again: the caller gets a fresh, uncached one.
    const bool keep = it == statements_.end();
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1), keep ? SQLITE_PREPARE_PERSISTENT : 0,
                           &s, nullptr) != SQLITE_OK) {
      sqlite3_finalize(s);
      fail("cannot prepare '" + sql + "'");
    }
    CachedStatement* slot = keep ? &statements_.emplace(sql, CachedStatement{s, true}).first->second : nullptr;
    return std::make_unique<SqliteCursor>(*this, s, slot);
  }
  void release(sqlite3_stmt* stmt, CachedStatement* slot) {
    if (!slot) {
      sqlite3_finalize(stmt);
      return;
    }
    sqlite3_reset(stmt);  // ends any read it holds; its error code is the last step's, reported there
    sqlite3_clear_bindings(stmt);
    slot->in_use = false;
  }

  void exec(const std::string& sql) override {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail("'" + sql + "'");
  }
  void exec_quietly(const char* sql) noexcept override { sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }
  bool in_transaction() override { return sqlite3_get_autocommit(db_) == 0; }
  void begin() override { exec("BEGIN IMMEDIATE"); }
  int schema_version() override { return static_cast<int>(query_int("PRAGMA user_version")); }
  void lock_schema() override {}  // BEGIN IMMEDIATE holds the write lock already
  void set_schema_version(int version) override {
    // PRAGMAs take no bound parameters; these are integers of ours, never input.
    exec("PRAGMA application_id=" + std::to_string(kApplicationId));
    exec("PRAGMA user_version=" + std::to_string(version));
  }
  [[noreturn]] void fail(const std::string& what) override {
    throw RuntimeFailure(name_ + ": " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "no database"));
  }
  sqlite3* sqlite_handle() override { return db_; }

 private:
  std::int64_t query_int(const std::string& sql) {
    auto c = prepare(sql);
    if (!c->step()) fail("'" + sql + "' returned no row");
    return c->col_int(0);
  }
  std::string name_;
  sqlite3* db_ = nullptr;
  // Declared after db_: destroyed first (finalized before the connection closes, in the destructor).
  std::unordered_map<std::string, CachedStatement> statements_;
};

SqliteCursor::~SqliteCursor() { c_.release(s_, slot_); }
void SqliteCursor::check(int rc) {
  if (rc != SQLITE_OK) c_.fail("cannot bind a parameter");
}
bool SqliteCursor::step() {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    changes_ = sqlite3_changes64(sqlite3_db_handle(s_));
    return false;
  }
  c_.fail("statement '" + std::string(sqlite3_sql(s_)) + "' failed");
}

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path) { return std::make_unique<SqliteConnection>(path); }

}  // namespace tw::store
