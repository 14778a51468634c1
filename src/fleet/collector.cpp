#include "src/fleet/collector.hpp"

#include <chrono>
#include <memory>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "src/fleet/fleet_message.hpp"
#include "src/fleet/fleet_store.hpp"
#include "src/scorer/score_records.hpp"

namespace tw::fleet {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

json CollectorStats::to_json(const char* type) const {
  return {{"type", type},          {"received", received},         {"stored", stored},
          {"duplicates", duplicates}, {"rejected", rejected},      {"rate_limited", rate_limited},
          {"batches", batches},    {"db_reconnects", db_reconnects}, {"broker_reconnects", broker_reconnects},
          {"rejected_by_reason", reasons}};
}

namespace {

struct Raw {
  std::string topic, payload;
  std::int64_t received_ms = 0;
};

struct Bucket {
  double tokens = 0;
  Clock::time_point last;
};

// The reason without the values in it ("member 'lac' = 70000 is outside ..." -> "member 'lac' = ..."),
// so the summary groups alike rejections.
std::string reason_key(const std::string& why) {
  std::string k = why.substr(0, 60);
  for (const char* cut : {" = ", ": [json", " of "})
    if (auto p = k.find(cut); p != std::string::npos) k = k.substr(0, p);
  return k;
}

class Collector {
 public:
  explicit Collector(const CollectorOptions& o) : o_(o) {}

  CollectorStats run() {
    emit({{"type", "collector_start"}, {"broker", std::string(o_.url.tls ? "mqtts://" : "mqtt://") + o_.url.host + ":" +
                                                   std::to_string(o_.url.port)},
          {"prefix", o_.url.prefix}});
    auto last_summary = Clock::now();
    while (!stopped()) {
      if (!ensure_db() || !ensure_broker()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      if (queue_.size() < o_.batch) mqtt_->loop(queue_.empty() ? 100 : 5);
      if (pending_ || (!queue_.empty() && (queue_.size() >= o_.batch || !mqtt_->connected() || quiet_since_ok()))) process();
      if (Clock::now() < rules_due_until_ && queue_.empty() && !pending_ &&
          Clock::now() - last_rules_ >= std::chrono::milliseconds(2500))
        run_fleet_rules();   // the rules throttle themselves; called again until they have seen the last batch
      if (std::chrono::duration<double>(Clock::now() - last_summary).count() >= o_.summary_every_s) {
        emit(stats_.to_json("collector_summary"));
        last_summary = Clock::now();
      }
    }
    // Stopping: what is queued still goes in when the database is there.
    while ((pending_ || !queue_.empty()) && db_ && db_->connection_ok()) process();
    if (mqtt_) mqtt_->disconnect();
    emit(stats_.to_json("collector_stop"));
    return stats_;
  }

 private:
  bool stopped() const { return o_.stop && o_.stop->load(); }
  void emit(const json& j) {
    if (o_.emit) o_.emit(j);
  }
  bool quiet_since_ok() {
    // Process when the broker had nothing more in the last loop (the queue did not grow).
    const bool quiet = queue_.size() == last_queue_size_;
    last_queue_size_ = queue_.size();
    return quiet;
  }

  bool ensure_db() {
    if (db_ && db_->connection_ok()) return true;
    if (Clock::now() < db_next_) return false;
    try {
      if (db_) ++stats_.db_reconnects;
      db_.reset();
      db_ = std::make_unique<FleetStore>(o_.db);
      db_backoff_ = 1.0;
      return true;
    } catch (const RuntimeFailure& e) {
      db_.reset();
      log::warn(std::string("collect: ") + e.what() + "; retrying in " + std::to_string(static_cast<int>(db_backoff_)) + " s");
      db_next_ = Clock::now() + std::chrono::milliseconds(static_cast<int>(db_backoff_ * 1000));
      db_backoff_ = std::min(db_backoff_ * 2, 30.0);
      return false;
    }
  }

  bool ensure_broker() {
    if (mqtt_ && mqtt_->connected()) return true;
    if (Clock::now() < mqtt_next_) return false;
    try {
      if (mqtt_) ++stats_.broker_reconnects;
      mqtt_.reset();
      MqttClientOptions mo;
      mo.client_id = o_.client_id;
      mo.clean_session = false;   // the broker keeps our subscription and queues QoS 1 messages while we are away
      mo.tls = o_.tls;
      mqtt_ = std::make_unique<MqttClient>(o_.url, mo);
      mqtt_->on_message = [this](const std::string& t, std::string_view p) {
        ++stats_.received;
        queue_.push_back({t, std::string(p.substr(0, kMaxPayload + 1)), now_unix_ms()});
      };
      mqtt_->connect(10);
      mqtt_->subscribe(o_.url.prefix + "/+/+", 1);
      mqtt_backoff_ = 1.0;
      return true;
    } catch (const RuntimeFailure& e) {
      mqtt_.reset();
      log::warn(std::string("collect: ") + e.what() + "; retrying in " + std::to_string(static_cast<int>(mqtt_backoff_)) + " s");
      mqtt_next_ = Clock::now() + std::chrono::milliseconds(static_cast<int>(mqtt_backoff_ * 1000));
      mqtt_backoff_ = std::min(mqtt_backoff_ * 2, 30.0);
      return false;
    }
  }

  bool allow(const std::string& sensor) {
    auto it = buckets_.find(sensor);
    const auto now = Clock::now();
    if (it == buckets_.end()) {
      if (buckets_.size() >= o_.max_sensors) return false;
      it = buckets_.emplace(sensor, Bucket{o_.burst, now}).first;
    }
    Bucket& b = it->second;
    b.tokens = std::min(o_.burst, b.tokens + std::chrono::duration<double>(now - b.last).count() * o_.rate_per_s);
    b.last = now;
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
  }

  void count_rejected(const std::string& why, const std::string& topic) {
    ++stats_.rejected;
    ++stats_.reasons[reason_key(why)];
    if (stats_.rejected <= 10) log::warn("collect: dropped a message on '" + topic.substr(0, 120) + "': " + why);
  }

  struct Item {
    enum Kind { data, rejected, status_change } kind;
    FleetMessage m;
    std::string status;
    std::int64_t received_ms;
  };

  // Validation (no database): what to write.
  std::vector<Item> validate(const std::vector<Raw>& raws) {
    std::vector<Item> items;
    for (const auto& r : raws) {
      std::string sensor, kind, why;
      const TopicKind tk = classify_topic(o_.url.prefix, r.topic, sensor, kind);
      if (tk == TopicKind::ack || tk == TopicKind::fleet) continue;   // ours
      if (tk == TopicKind::other) {
        count_rejected("topic is not PREFIX/SENSOR/{cell,alert,sweep,status}", r.topic);
        continue;
      }
      if (!allow(sensor)) {
        ++stats_.rate_limited;
        continue;
      }
      if (tk == TopicKind::status) {
        if (r.payload == "online" || r.payload == "offline") {
          items.push_back({Item::status_change, {}, r.payload, r.received_ms});
          items.back().m.sensor = sensor;
        } else {
          count_rejected("status is not online/offline", r.topic);
        }
        continue;
      }
      Item it{Item::data, {}, {}, r.received_ms};
      if (!parse_fleet_message(sensor, kind, r.payload, it.m, why)) {
        count_rejected(why, r.topic);
        if (it.m.seq <= 0) continue;
        it.kind = Item::rejected;
        it.m.sensor = sensor;
        it.m.kind = kind;
      }
      items.push_back(std::move(it));
    }
    return items;
  }

  // Writes items; returns the (sensor, epoch) -> highest floor touched.
  void write(const std::vector<Item>& items, std::map<std::pair<std::string, std::string>, std::int64_t>& touched) {
    for (const auto& it : items) {
      if (it.kind == Item::status_change) {
        db_->set_sensor_status(it.m.sensor, it.status, it.received_ms);
        continue;
      }
      const bool fresh = it.kind == Item::data ? db_->store_message(it.m, it.received_ms)
                                               : db_->store_rejected(it.m.sensor, it.m.epoch, it.m.seq, it.m.kind, it.received_ms);
      if (it.kind == Item::data) {
        if (fresh && it.m.kind == "sweep") completed_.push_back({it.m.sensor, it.m.epoch, it.m.sweep});
        if (fresh) ++stats_.stored;
        else ++stats_.duplicates;
      }
      auto& f = touched[{it.m.sensor, it.m.epoch}];
      f = std::max(f, it.kind == Item::data ? it.m.floor : 0);
    }
  }

  void confirm(const std::map<std::pair<std::string, std::string>, std::int64_t>& touched,
               const std::map<std::pair<std::string, std::string>, std::int64_t>& through) {
    for (const auto& [k, t] : through) {
      (void)touched;
      const json ack{{"epoch", k.second}, {"through_seq", t}};
      try {
        if (mqtt_ && mqtt_->connected()) mqtt_->publish(o_.url.prefix + "/" + k.first + "/ack", ack.dump(), 1, true);
      } catch (const RuntimeFailure&) {
        // the next batch of this sensor confirms again
      }
    }
  }

  void process() {
    // A batch is validated once (counted once); when the database fails it waits, validated, in pending_.
    if (!pending_) {
      std::vector<Raw> raws;
      const std::size_t n = std::min(queue_.size(), o_.batch);
      raws.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      pending_ = validate(raws);
    }
    const std::vector<Item>& items = *pending_;
    const CollectorStats before = stats_;   // what writing counts may be undone
    std::map<std::pair<std::string, std::string>, std::int64_t> touched, through;
    completed_.clear();
    try {
      db_->begin();
      write(items, touched);
      for (const auto& [k, floor] : touched) through[k] = db_->advance_watermark(k.first, k.second, floor);
      db_->commit();
    } catch (const RuntimeFailure& e) {
      db_->rollback();
      // Counters of the batch go back: it is written again (whole, or message by message below).
      const auto received = stats_.received;
      stats_ = before;
      stats_.received = received;   // messages that arrived meanwhile
      if (!db_->connection_ok()) {
        log::warn(std::string("collect: ") + e.what() + "; the batch waits for the database");
        return;   // the queue keeps the batch; ensure_db reconnects
      }
      // A message the database refuses although it passed validation: one transaction per message, and
      // the one refused again is dropped (counted).
      touched.clear();
      through.clear();
      completed_.clear();
      for (const auto& it : items) {
        const std::size_t n_completed = completed_.size();
        try {
          db_->begin();
          write({it}, touched);
          db_->commit();
        } catch (const RuntimeFailure& e2) {
          db_->rollback();
          completed_.resize(n_completed);
          if (!db_->connection_ok()) return;
          count_rejected(std::string("refused by the database: ") + e2.what(), it.m.sensor);
          try {
            db_->begin();
            if (it.m.seq > 0) db_->store_rejected(it.m.sensor, it.m.epoch, it.m.seq, it.m.kind, it.received_ms);
            db_->commit();
          } catch (const RuntimeFailure&) {
            db_->rollback();
          }
        }
      }
      try {
        db_->begin();
        for (const auto& [k, floor] : touched) through[k] = db_->advance_watermark(k.first, k.second, floor);
        db_->commit();
      } catch (const RuntimeFailure&) {
        db_->rollback();
      }
    }
    pending_.reset();
    ++stats_.batches;
    confirm(touched, through);
    std::vector<nlohmann::json> fleet_alerts;
    try {
      if (o_.on_sweeps) fleet_alerts = o_.on_sweeps(*db_, now_unix_ms(), completed_);
    } catch (const RuntimeFailure& e) {
      log::warn(std::string("collect: fleet baseline scoring: ") + e.what());
    }
    publish_fleet_alerts(fleet_alerts);
    run_fleet_rules();
    rules_due_until_ = Clock::now() + std::chrono::seconds(30);   // and while the broker is quiet: the last batch's state too
  }

  void run_fleet_rules() {
    last_rules_ = Clock::now();
    if (!o_.after_batch) return;
    try {
      publish_fleet_alerts(o_.after_batch(*db_, now_unix_ms()));
    } catch (const RuntimeFailure& e) {
      log::warn(std::string("collect: fleet rules: ") + e.what());
    }
  }

  void publish_fleet_alerts(const std::vector<nlohmann::json>& alerts) {
    for (const auto& a : alerts) {
      emit(a);
      try {
        if (mqtt_ && mqtt_->connected()) mqtt_->publish(o_.url.prefix + "/fleet/alert", a.dump(), 1, false);
      } catch (const RuntimeFailure&) {
      }
    }
  }

  const CollectorOptions& o_;
  CollectorStats stats_;
  std::unique_ptr<FleetStore> db_;
  std::unique_ptr<MqttClient> mqtt_;
  std::vector<Raw> queue_;
  std::optional<std::vector<Item>> pending_;
  std::vector<SweepRef> completed_;   // sweeps the batch being written completed
  Clock::time_point rules_due_until_{};   // the fleet rules run again while the broker is quiet until then
  Clock::time_point last_rules_{};
  std::size_t last_queue_size_ = 0;
  std::unordered_map<std::string, Bucket> buckets_;
  Clock::time_point db_next_{}, mqtt_next_{};
  double db_backoff_ = 1.0, mqtt_backoff_ = 1.0;
};

}  // namespace

CollectorStats run_collector(const CollectorOptions& options) { return Collector(options).run(); }

}  // namespace tw::fleet
