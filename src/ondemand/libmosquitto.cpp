// libmosquitto (MQTT: `--mqtt`, `collect`) loaded on first use (src/core/on_demand_library.hpp): the functions
// src/fleet/mqtt_client.cpp calls, with mosquitto.h's signatures.

#include <mosquitto.h>

#include "hw/ondemand/on_demand_libs.hpp"

namespace tw::ondemand {
OnDemandLibrary& libmosquitto_library() {
  static OnDemandLibrary lib(TW_SONAME_MOSQUITTO, TW_PACKAGE_MOSQUITTO, "MQTT (--mqtt, collect)");
  return lib;
}
}  // namespace tw::ondemand

extern "C" {

const char *mosquitto_connack_string(int connack_code) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_connack_string, connack_code); }
int mosquitto_connect(struct mosquitto *mosq, const char *host, int port, int keepalive) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_connect, mosq, host, port, keepalive); }
void mosquitto_connect_callback_set(struct mosquitto *mosq, void (*on_connect)(struct mosquitto *, void *, int)) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_connect_callback_set, mosq, on_connect); }
void mosquitto_destroy(struct mosquitto *mosq) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_destroy, mosq); }
int mosquitto_disconnect(struct mosquitto *mosq) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_disconnect, mosq); }
void mosquitto_disconnect_callback_set(struct mosquitto *mosq, void (*on_disconnect)(struct mosquitto *, void *, int)) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_disconnect_callback_set, mosq, on_disconnect); }
int mosquitto_int_option(struct mosquitto *mosq, enum mosq_opt_t option, int value) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_int_option, mosq, option, value); }
int mosquitto_lib_init(void) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_lib_init); }
int mosquitto_loop(struct mosquitto *mosq, int timeout, int max_packets) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_loop, mosq, timeout, max_packets); }
void mosquitto_message_callback_set(struct mosquitto *mosq, void (*on_message)(struct mosquitto *, void *, const struct mosquitto_message *)) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_message_callback_set, mosq, on_message); }
struct mosquitto *mosquitto_new(const char *id, bool clean_session, void *obj) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_new, id, clean_session, obj); }
int mosquitto_publish(struct mosquitto *mosq, int *mid, const char *topic, int payloadlen, const void *payload, int qos, bool retain) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_publish, mosq, mid, topic, payloadlen, payload, qos, retain); }
void mosquitto_publish_callback_set(struct mosquitto *mosq, void (*on_publish)(struct mosquitto *, void *, int)) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_publish_callback_set, mosq, on_publish); }
const char *mosquitto_strerror(int mosq_errno) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_strerror, mosq_errno); }
int mosquitto_subscribe(struct mosquitto *mosq, int *mid, const char *sub, int qos) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_subscribe, mosq, mid, sub, qos); }
int mosquitto_tls_set(struct mosquitto *mosq, const char *cafile, const char *capath, const char *certfile, const char *keyfile, int (*pw_callback)(char *buf, int size, int rwflag, void *userdata)) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_tls_set, mosq, cafile, capath, certfile, keyfile, pw_callback); }
int mosquitto_username_pw_set(struct mosquitto *mosq, const char *username, const char *password) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_username_pw_set, mosq, username, password); }
int mosquitto_will_set(struct mosquitto *mosq, const char *topic, int payloadlen, const void *payload, int qos, bool retain) { TW_ON_DEMAND_CALL(tw::ondemand::libmosquitto_library(), mosquitto_will_set, mosq, topic, payloadlen, payload, qos, retain); }

}  // extern "C"
