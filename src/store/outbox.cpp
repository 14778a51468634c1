#include "src/store/outbox.hpp"

#include <random>

#include "src/core/error.hpp"
#include "src/store/stmt.hpp"

namespace tw::store {

namespace {
constexpr const char* kEpochMeta = "mqtt.outbox_epoch";
}

std::string outbox_epoch(Store& store) {
  if (auto e = store.meta(kEpochMeta)) return *e;
  std::random_device rd;
  const std::uint64_t v = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  store.set_meta(kEpochMeta, buf);
  return buf;
}

std::int64_t outbox_append(Store& store, const std::string& kind, const nlohmann::json& payload) {
  if (!payload.is_object() || payload.empty()) throw InputError("outbox: a " + kind + " message must be a non-empty JSON object");
  outbox_epoch(store);
  Stmt s(store, "INSERT INTO mqtt_outbox(kind, payload) VALUES(?, ?) RETURNING seq");
  s.bind(1, kind);
  s.bind(2, payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (!s.step()) store.fail("the new outbox message's sequence number was not returned");
  return s.col_int(0);
}

std::vector<OutboxMessage> outbox_pending(Store& store, std::size_t limit) {
  Stmt s(store, "SELECT seq, kind, payload FROM mqtt_outbox WHERE acked_ms IS NULL ORDER BY seq LIMIT ?");
  s.bind(1, static_cast<std::int64_t>(limit));
  std::vector<OutboxMessage> out;
  while (s.step()) out.push_back({s.col_int(0), s.col_text(1), s.col_text(2)});
  return out;
}

void outbox_acknowledge(Store& store, const std::vector<std::int64_t>& seqs, std::int64_t now_ms, bool delete_rows) {
  if (seqs.empty()) return;
  Store::Transaction t(store);
  Stmt s(store, delete_rows ? "DELETE FROM mqtt_outbox WHERE seq = ?2 AND CAST(?1 AS BIGINT) IS NOT NULL"
                            : "UPDATE mqtt_outbox SET acked_ms = ?1 WHERE seq = ?2");
  for (auto seq : seqs) {
    s.reset();
    s.bind(1, now_ms);
    s.bind(2, seq);
    s.run();
  }
  t.commit();
}

std::int64_t outbox_confirm_through(Store& store, std::int64_t seq) {
  Stmt s(store, "DELETE FROM mqtt_outbox WHERE seq <= ?");
  s.bind(1, seq);
  s.run();
  return s.changes();
}

std::int64_t outbox_requeue_unconfirmed(Store& store, std::int64_t acked_before_ms) {
  Stmt s(store, "UPDATE mqtt_outbox SET acked_ms = NULL WHERE acked_ms IS NOT NULL AND acked_ms < ?");
  s.bind(1, acked_before_ms);
  s.run();
  return s.changes();
}

std::int64_t outbox_size(Store& store) { return store.query_int("SELECT count(*) FROM mqtt_outbox"); }

std::int64_t outbox_unsent(Store& store) {
  return store.query_int("SELECT count(*) FROM mqtt_outbox WHERE acked_ms IS NULL");
}

}  // namespace tw::store
