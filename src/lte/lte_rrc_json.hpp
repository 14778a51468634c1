// JSON of LTE System Information (the cell record of BCCH-DL-SCH decodes). Values are converted to physical
// units where the IE defines them (TS 36.331 field descriptions, TS 36.304 5.2.3.2 / 5.2.4.7): dBm, dB (2 dB
// steps of ReselectionThreshold, Q-RxLevMin), ms for timers, PRB for bandwidths; "_coded" keys keep the
// coded value where a unit would be ambiguous. Key names are an interface (other modules code against them).
// Conventions: an absent OPTIONAL is null; a spare enumeration value is null; a PhysCellIdRange without its
// range is {"start": pci, "range": 1}; q_rx_lev_min_offset is in dB (IE x 2) with the IE in
// q_rx_lev_min_offset_coded; time_alignment_timer is in subframes, null for infinity; the HNB name (SIB9) is
// hex (operator text from the air, not assumed to be UTF-8).
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
