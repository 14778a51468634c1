// Opening a store (either backend), its migrations and transactions (src/store/store.hpp).
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "src/core/error.hpp"
#include "src/store/stmt.hpp"
#include "src/store/store.hpp"

namespace tw::store {

std::filesystem::path default_db_path() {
  if (const char* d = std::getenv("TW_DATA_DIR"); d && *d) return std::filesystem::path(d) / "towerwatch.db";
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x)
    return std::filesystem::path(x) / "towerwatch" / "towerwatch.db";
  std::filesystem::path home;
  if (const char* h = std::getenv("HOME"); h && *h) {
    home = h;
  } else if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir && *pw->pw_dir) {
    home = pw->pw_dir;  // an empty environment (env -i, a service without HOME): the account's home
  } else {
    throw InputError("database: neither --db, TW_DATA_DIR, XDG_DATA_HOME nor HOME is set: nowhere to keep it");
  }
  return home / ".local" / "share" / "towerwatch" / "towerwatch.db";
}


void Store::fail(const std::string& what) {
  conn_->fail(what);
  throw RuntimeFailure(name() + ": " + what);  // not reached: every backend's fail throws
}

Store::Store(const std::filesystem::path& path) : Store(open_sqlite(path.string())) {}

namespace {
void refuse_newer_schema(Store& s, int version) {
  if (version > Store::kSchemaVersion)
    throw RuntimeFailure(s.name() + ": database schema version " + std::to_string(version) +
                         " is newer than this towerwatch knows (" + std::to_string(Store::kSchemaVersion) +
                         "): use a newer towerwatch");
}
}  // namespace

Store::Store(std::unique_ptr<Connection> connection, int migrate_to)
    : conn_(std::move(connection)), path_(conn_->name()) {
  refuse_newer_schema(*this, schema_version());
  migrate(migrate_to);
}

void Store::reconnect() {
  conn_->reconnect();
  refuse_newer_schema(*this, schema_version());  // the server came back with another database (restored, upgraded)
  migrate();
}

std::optional<std::int64_t> Store::find_sweep(std::int64_t time_unix_ms, const std::string& sensor_id,
                                              const std::string& source) {
  Stmt s(*this, "SELECT id FROM sweeps WHERE time_unix_ms = ?1 AND sensor_id = ?2 AND source = ?3 AND completed = 1 "
                "ORDER BY id LIMIT 1");
  s.bind(1, time_unix_ms);
  s.bind(2, sensor_id);
  s.bind(3, source);
  if (!s.step()) return std::nullopt;
  return s.col_int(0);
}

Store::~Store() = default;

bool is_postgresql_url(std::string_view db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

std::string db_display_name(const std::string& db) {
  if (!is_postgresql_url(db)) return db;
  const std::size_t start = db.find("://") + 3;
  const std::size_t end = db.find_first_of("/?", start);
  const std::size_t at = db.rfind('@', end == std::string::npos ? db.size() : end);
  if (at == std::string::npos || at < start) return db;
  const std::size_t colon = db.find(':', start);
  if (colon == std::string::npos || colon > at) return db;
  return db.substr(0, colon) + db.substr(at);  // user@host...: the password left out
}

std::unique_ptr<Store> open_store(const std::string& db) {
  if (db.empty()) throw InputError("--db: empty database name");
  if (is_postgresql_url(db)) return std::make_unique<Store>(open_postgresql(db));
  const std::filesystem::path p(db);
  if (p.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) throw RuntimeFailure(p.parent_path().string() + ": cannot create the data directory: " + ec.message());
  }
  return std::make_unique<Store>(p);
}

void Store::migrate(int target) {
  if (target > kSchemaVersion) target = kSchemaVersion;
  for (;;) {
    if (schema_version() >= target) return;  // up to date: no write lock taken
    Transaction t(*this);
    conn_->lock_schema();
    const int v = schema_version();  // re-read under the lock
    if (v >= target) return;
    try {
      conn_->exec(migration(dialect(), v));
    } catch (const RuntimeFailure& e) {
      throw RuntimeFailure(name() + ": schema migration " + std::to_string(v + 1) + " failed: " + e.what());
    }
    conn_->set_schema_version(v + 1);
    t.commit();
  }
}

int Store::schema_version() { return conn_->schema_version(); }

void Store::exec(const std::string& sql) { conn_->exec(sql); }
std::string Store::query_text(const std::string& sql) {
  Stmt s(*this, sql);
  if (!s.step()) fail("'" + sql + "' returned no row");
  return s.col_text(0);
}
std::int64_t Store::query_int(const std::string& sql) {
  Stmt s(*this, sql);
  if (!s.step()) fail("'" + sql + "' returned no row");
  return s.col_int(0);
}

Store::Transaction::Transaction(Store& s) : s_(s) {
  nested_ = s_.conn_->in_transaction();  // a transaction is open already
  if (nested_)
    s_.exec("SAVEPOINT tw_nested");
  else
    s_.conn_->begin();
}
Store::Transaction::~Transaction() {
  if (done_) return;
  if (nested_) {
    s_.conn_->exec_quietly("ROLLBACK TO SAVEPOINT tw_nested");
    s_.conn_->exec_quietly("RELEASE SAVEPOINT tw_nested");
  } else {
    s_.conn_->exec_quietly("ROLLBACK");
  }
}
void Store::Transaction::commit() {
  if (nested_) {
    s_.exec("RELEASE SAVEPOINT tw_nested");
  } else {
    try {
      s_.exec("COMMIT");
    } catch (const ConnectionLost& e) {
      done_ = true;  // nothing to roll back on a closed connection
      throw ConnectionLost(e.what(), true);  // the server may have committed before the connection went
    }
  }
  done_ = true;
}

}  // namespace tw::store
