// The PostgreSQL backend (libpq). The store's tables live in the schema "towerwatch" of the database the URL
// names (search_path), the collector's fleet tables among them (schema v6, src/fleet/fleet_store.hpp); other
// schemas of the database are left alone. The schema's version is the one row of towerwatch.schema_version;
// migrations run under an advisory lock (two processes starting together do not race). Every statement with
// a value is prepared once per connection (PQprepare) and run with its values as parameters
// (PQexecPrepared); values travel as text (integers in decimal, doubles with 17 significant digits: exact).
#include <libpq-fe.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <unordered_map>
#include <vector>

#include "src/core/error.hpp"
#include "src/store/connection.hpp"

namespace tw::store {

namespace {

constexpr const char* kLockKey = "1415074882";    // "TWDB": advisory lock of schema changes
constexpr const char* kWriterKey = "1415074887";  // advisory lock of writing transactions

// SQLite's parameters (?NNN, or ? = one more than the largest so far) as PostgreSQL's $NNN; quoted text and
// identifiers are left alone. `n_params` = the largest index.
std::string to_dollar_params(const std::string& sql, int& n_params) {
  std::string out;
  out.reserve(sql.size() + 8);
  n_params = 0;
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    int n = 0;
    std::size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
    if (j == i + 1) n = n_params + 1;
    if (n > n_params) n_params = n;
    out += "$" + std::to_string(n);
    i = j - 1;
  }
  return out;
}

// libpq's messages end with a newline and may span lines ("...failed: Connection refused\n\tIs the server
// running...?"): one line, for logs.
std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\n') {
      out += s[i];
      continue;
    }
    while (i + 1 < s.size() && (s[i + 1] == '\t' || s[i + 1] == ' ')) ++i;
    out += ' ';
  }
  return out;
}

class PgConnection;

// A statement prepared once per session: `session` is the connection's session in which it was last
// prepared (a reconnect starts a new one, and the statement is prepared again at its next use).
struct Prepared {
  std::string name, sql;
  int n_params = 0;
  std::uint64_t session = 0;
};

class PgCursor final : public Cursor {
 public:
  PgCursor(PgConnection& c, Prepared& p) : c_(c), p_(p), params_(static_cast<std::size_t>(p.n_params)) {}
  ~PgCursor() override { PQclear(res_); }
  void bind_int(int i, std::int64_t v) override { slot(i) = std::to_string(v); }
  void bind_double(int i, double v) override {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    slot(i) = buf;
  }
  void bind_text(int i, const std::string& v) override;
  void bind_null(int i) override { slot(i).reset(); }
  bool step() override;
  void reset() override {
    PQclear(res_);
    res_ = nullptr;
    row_ = -1;
    for (auto& p : params_) p.reset();
  }
  bool is_null(int c) const override { return PQgetisnull(res_, row_, c) != 0; }
  std::int64_t col_int(int c) const override {
    const char* p = PQgetvalue(res_, row_, c);
    std::int64_t v = 0;
    std::from_chars(p, p + PQgetlength(res_, row_, c), v);
    return v;
  }
  double col_double(int c) const override { return std::strtod(PQgetvalue(res_, row_, c), nullptr); }
  std::string col_text(int c) const override {
    return std::string(PQgetvalue(res_, row_, c), static_cast<std::size_t>(PQgetlength(res_, row_, c)));
  }
  int columns() const override { return res_ ? PQnfields(res_) : 0; }
  std::int64_t changes() const override {
    const char* n = res_ ? PQcmdTuples(res_) : "";
    return *n ? std::atoll(n) : 0;
  }

 private:
  std::optional<std::string>& slot(int i);
  PgConnection& c_;
  Prepared& p_;  // owned by the connection's cache (node-stable)
  std::vector<std::optional<std::string>> params_;
  PGresult* res_ = nullptr;
  int row_ = -1;
};

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& url) : url_(url) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    if (!opts) {
      std::string why = err ? trim(err) : "out of memory";
      PQfreemem(err);
      throw InputError("--db: not a valid PostgreSQL URL: " + why);
    }
    std::string user, host, port, dbname;
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
      if (!o->val) continue;
      const std::string k = o->keyword;
      if (k == "user") user = o->val;
      else if (k == "host" || (k == "hostaddr" && host.empty())) host = o->val;
      else if (k == "port") port = o->val;
      else if (k == "dbname") dbname = o->val;
    }
    PQconninfoFree(opts);
    if (!port.empty() && port.find_first_not_of("0123456789,") != std::string::npos)
      throw InputError("--db: PostgreSQL URL field 'port' = '" + port + "' is not a port number");
    name_ = "postgresql://" + (user.empty() ? "" : user + "@") + (host.empty() ? "localhost" : host) +
            (port.empty() ? "" : ":" + port) + "/" + dbname;
    connect();
  }
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::postgresql; }
  const std::string& name() const override { return name_; }

  void reconnect() override { connect(); }

  std::unique_ptr<Cursor> prepare(const std::string& sql) override {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      Prepared p;
      p.name = "tw" + std::to_string(statements_.size() + 1);
      p.sql = to_dollar_params(sql, p.n_params);
      it = statements_.emplace(sql, std::move(p)).first;
    }
    ensure_prepared(it->second);
    return std::make_unique<PgCursor>(*this, it->second);
  }

  PGresult* run(Prepared& p, const std::vector<std::optional<std::string>>& params) {
    ensure_prepared(p);
    std::vector<const char*> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) values[i] = params[i] ? params[i]->c_str() : nullptr;
    PGresult* r = PQexecPrepared(conn_, p.name.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                                 nullptr, 0);
    const auto st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) failed(r, "statement '" + p.sql + "' failed");
    return r;
  }

  void exec(const std::string& sql) override {
    PGresult* r = PQexec(conn_, sql.c_str());
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) failed(r, "'" + sql + "' failed");
    PQclear(r);
  }
  void exec_quietly(const char* sql) noexcept override { PQclear(PQexec(conn_, sql)); }
  bool in_transaction() override {
    const auto t = PQtransactionStatus(conn_);
    return t != PQTRANS_IDLE && t != PQTRANS_UNKNOWN;  // UNKNOWN: the connection is gone, and its transaction
  }
  // One writer at a time, as SQLite's BEGIN IMMEDIATE: the store's read-modify-write sequences (learning
  // folds observations into known cells above a watermark) stay correct with several processes on one
  // database. Released at COMMIT or ROLLBACK.
  void begin() override { exec(std::string("BEGIN; SELECT pg_advisory_xact_lock(") + kWriterKey + ")"); }
  int schema_version() override {
    auto c = prepare("SELECT version FROM schema_version");
    if (!c->step()) fail("no schema version");
    return static_cast<int>(c->col_int(0));
  }
  void lock_schema() override { exec(std::string("SELECT pg_advisory_xact_lock(") + kLockKey + ")"); }
  void set_schema_version(int version) override {
    auto c = prepare("UPDATE schema_version SET version = ?1");
    c->bind_int(1, version);
    c->step();
  }
  [[noreturn]] void fail(const std::string& what) override {
    throw RuntimeFailure(name_ + ": " + what + ": " + trim(PQerrorMessage(conn_)));
  }

 private:
  // Opens a session. A server that does not answer or does not accept connections yet (PQping: no response,
  // or rejecting while it starts or stops) is ConnectionLost: a caller that outlives outages tries again (the
  // commands still refuse it at start-up: a server that is not there is the user's to fix); one that answers
  // but refuses us (authentication, no such database) is RuntimeFailure.
  void connect() {
    if (conn_) PQfinish(conn_);
    // connect_timeout before the URL: the URL's own value, if any, wins.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* vals[] = {"10", "towerwatch", url_.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, vals, 1);
    ++session_;
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      const std::string why = name_ + ": cannot connect to the PostgreSQL server: " +
                              (conn_ ? trim(PQerrorMessage(conn_)) : std::string("out of memory"));
      const PGPing ping = PQpingParams(keys, vals, 1);
      if (ping == PQPING_NO_RESPONSE || ping == PQPING_REJECT) throw ConnectionLost(why);
      throw RuntimeFailure(why);
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    exec("SET client_encoding TO 'UTF8'; SET client_min_messages TO warning");
    // The schema and its version table, once, under the lock (CREATE ... IF NOT EXISTS races otherwise).
    exec(std::string("SELECT pg_advisory_lock(") + kLockKey + ")");
    try {
      exec("CREATE SCHEMA IF NOT EXISTS towerwatch; "
           "CREATE TABLE IF NOT EXISTS towerwatch.schema_version(version integer NOT NULL); "
           "INSERT INTO towerwatch.schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM towerwatch.schema_version)");
    } catch (...) {
      exec_quietly("SELECT pg_advisory_unlock_all()");
      throw;
    }
    exec(std::string("SELECT pg_advisory_unlock(") + kLockKey + ")");
    exec("SET search_path TO towerwatch");
  }

  void ensure_prepared(Prepared& p) {
    if (p.session == session_) return;
    PGresult* r = PQprepare(conn_, p.name.c_str(), p.sql.c_str(), 0, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) failed(r, "cannot prepare '" + p.sql + "'");
    PQclear(r);
    p.session = session_;
  }

  // Throws for a failed result (and frees it): ConnectionLost when the session is gone (the connection
  // closed, or SQLSTATE class 08 / 57P01-57P03), else RuntimeFailure; both name the server and the statement.
  [[noreturn]] void failed(PGresult* r, const std::string& what) {
    const std::string why = trim(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
    const char* code = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string state = code ? code : "";
    PQclear(r);
    const bool lost = PQstatus(conn_) == CONNECTION_BAD || state.rfind("08", 0) == 0 || state == "57P01" ||
                      state == "57P02" || state == "57P03";
    const std::string msg = name_ + ": " + what + ": " + (why.empty() ? trim(PQerrorMessage(conn_)) : why);
    if (lost) throw ConnectionLost(msg);
    throw RuntimeFailure(msg);
  }

  std::string url_, name_;
  PGconn* conn_ = nullptr;
  std::uint64_t session_ = 0;
  std::unordered_map<std::string, Prepared> statements_;
};

std::optional<std::string>& PgCursor::slot(int i) {
  if (i < 1 || i > static_cast<int>(params_.size()))
    throw RuntimeFailure(c_.name() + ": parameter " + std::to_string(i) + " out of range in '" + p_.sql + "'");
  PQclear(res_);  // binding starts a new run
  res_ = nullptr;
  row_ = -1;
  return params_[static_cast<std::size_t>(i - 1)];
}

void PgCursor::bind_text(int i, const std::string& v) {
  // Text parameters travel NUL-terminated and PostgreSQL text holds no NUL: refused, never truncated.
  if (v.find('\0') != std::string::npos)
    throw InputError(c_.name() + ": a text value holds a NUL byte, which PostgreSQL cannot store (statement '" +
                     p_.sql + "', parameter " + std::to_string(i) + ")");
  slot(i) = v;
}

bool PgCursor::step() {
  if (!res_) {
    res_ = c_.run(p_, params_);
    row_ = 0;
  } else {
    ++row_;
  }
  return row_ < PQntuples(res_);
}

}  // namespace

std::unique_ptr<Connection> open_postgresql(const std::string& url) { return std::make_unique<PgConnection>(url); }

}  // namespace tw::store
