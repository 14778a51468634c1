// The store's backends: one connection to a database (SQLite file or PostgreSQL server) and its prepared
// statements. The store's operations (store.cpp, baseline.cpp, outbox.cpp, store_baseline_view.cpp) are
// written once over this interface in the SQL both backends speak (upserts with ON CONFLICT, RETURNING,
// numbered parameters ?N); what differs lives here: opening, the schema's version, transactions, the
// migrations' text (schema.cpp), parameter syntax and how values travel.
// Every value goes through a bound parameter, never into SQL text (prepared statements only).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "src/core/error.hpp"

struct sqlite3;

namespace tw::store {

// The database server went away under a running process (PostgreSQL only: the connection closed, SQLSTATE
// class 08 "connection exception", 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
// The server rolls back the open transaction; the caller reconnects (Store::reconnect) and runs the same work
// again. commit_in_doubt: it happened during COMMIT, whose outcome the client never learned (the server may
// have committed).
class ConnectionLost : public RuntimeFailure {
 public:
  explicit ConnectionLost(const std::string& what, bool commit_in_doubt = false)
      : RuntimeFailure(what), commit_in_doubt_(commit_in_doubt) {}
  bool commit_in_doubt() const { return commit_in_doubt_; }

 private:
  bool commit_in_doubt_ = false;
};

enum class Dialect { sqlite, postgresql };

// One prepared statement being run: bind (1-based), step through the rows, read columns (0-based).
// Internal to src/store (callers use Stmt, src/store/stmt.hpp).
class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual void bind_int(int i, std::int64_t v) = 0;
  virtual void bind_double(int i, double v) = 0;
  virtual void bind_text(int i, const std::string& v) = 0;
  virtual void bind_null(int i) = 0;
  // Runs the statement on the first call; true while a row is ready.
  virtual bool step() = 0;
  // Ready to run again: rows and bindings cleared.
  virtual void reset() = 0;
  virtual bool is_null(int c) const = 0;
  virtual std::int64_t col_int(int c) const = 0;
  virtual double col_double(int c) const = 0;
  virtual std::string col_text(int c) const = 0;
  // Columns of the result (after step()).
  virtual int columns() const = 0;
  // Rows inserted, updated or deleted by the last run.
  virtual std::int64_t changes() const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // For messages: the file, or postgresql://user@host:port/dbname (never the password).
  virtual const std::string& name() const = 0;
  // SQL with ?N / ? parameters (SQLite's syntax; the PostgreSQL backend rewrites them to $N). Prepared once
  // per connection and reused.
  virtual std::unique_ptr<Cursor> prepare(const std::string& sql) = 0;
  // SQL without parameters (schema, transaction control); several statements allowed.
  virtual void exec(const std::string& sql) = 0;
  // The same, for rollback paths: never throws.
  virtual void exec_quietly(const char* sql) noexcept = 0;
  virtual bool in_transaction() = 0;
  // Opens the outermost transaction (SQLite: BEGIN IMMEDIATE, the write lock at once; PostgreSQL: BEGIN and an advisory lock taken by every writer: one writer at a time in both).
  virtual void begin() = 0;
  virtual int schema_version() = 0;
  // Inside the migration's transaction: serialises concurrent migrators, then records the new version.
  virtual void lock_schema() = 0;
  virtual void set_schema_version(int version) = 0;
  [[noreturn]] virtual void fail(const std::string& what) = 0;
  virtual sqlite3* sqlite_handle() { return nullptr; }
  // A new session with the same server after ConnectionLost (PostgreSQL; SQLite has nothing to do): the
  // session's settings applied again, every prepared statement prepared again on the new connection at its
  // next use. ConnectionLost while the server does not answer or does not accept connections yet (starting
  // up, shutting down); RuntimeFailure naming the server for a refusal that waiting does not cure
  // (authentication, no such database).
  virtual void reconnect() {}
};

// The ordered migrations of a backend (schema.cpp): entry i brings the schema from version i to i+1.
const char* migration(Dialect d, int from_version);

std::unique_ptr<Connection> open_sqlite(const std::string& path);
// A postgresql:// or postgres:// URL (libpq's URI syntax). tw::InputError naming the field for a malformed
// URL; tw::RuntimeFailure naming the server when it refuses, ConnectionLost (one) when it does not answer.
std::unique_ptr<Connection> open_postgresql(const std::string& url);

}  // namespace tw::store
