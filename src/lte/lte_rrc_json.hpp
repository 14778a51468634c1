// JSON of LTE System Information (the cell record of BCCH-DL-SCH decodes). Values are converted to physical
// units where the IE defines them (TS 36.331 field descriptions, TS 36.304 5.2.3.2 / 5.2.4.7): dBm, dB (2 dB
// steps of ReselectionThreshold, Q-RxLevMin), ms for timers, PRB for bandwidths; "_coded" keys keep the
// coded value where a unit would be ambiguous. Key names are an interface (other modules code against them).
#pragma once
#include <nlohmann/json.hpp>

#include "src/lte/lte_rrc.hpp"

namespace tw::lte {

// SIB1's fields at the top level ("mcc", "mnc", "plmns", "tac", "cell_identity", "enb_id", "sector", ...),
// then "sib2".."sib8" (and "sib9".."sib11") objects for the SIBs decoded, and "sibs_seen".
nlohmann::json lte_si_to_json(const LteSystemInfo& info);

// One message: {"message": "systemInformationBlockType1"|"systemInformation"|..., "sibs_seen": [...], and
// the same content as lte_si_to_json for the SIBs it carries}.
nlohmann::json bcch_dl_sch_to_json(const BcchDlSchMessage& message);

}  // namespace tw::lte
