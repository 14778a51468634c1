// libosmocoding (the synthesizer's channel coding: gsm0503_xcch_encode, gsm0503_sch_encode) loaded on first use
// (src/core/on_demand_library.hpp): the receiver decodes with libosmocore alone (dsp/gsm/gsm0503_decode.hpp),
// so `analyze` does not map libosmocoding, libosmogsm and its GnuTLS chain at start.
extern "C" {
#include <osmocom/coding/gsm0503_coding.h>
}

#include "src/core/on_demand_library.hpp"

namespace {
tw::OnDemandLibrary& libosmocoding() {
  static tw::OnDemandLibrary lib(TW_SONAME_OSMOCODING, TW_PACKAGE_OSMOCODING, "the GSM signal synthesizer");
  return lib;
}
}  // namespace

extern "C" {

int gsm0503_xcch_encode(ubit_t *bursts, const uint8_t *l2_data) { TW_ON_DEMAND_CALL(libosmocoding(), gsm0503_xcch_encode, bursts, l2_data); }
int gsm0503_sch_encode(ubit_t *burst, const uint8_t *sb_info) { TW_ON_DEMAND_CALL(libosmocoding(), gsm0503_sch_encode, burst, sb_info); }

}  // extern "C"
