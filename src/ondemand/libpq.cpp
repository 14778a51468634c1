// libpq (PostgreSQL: `--db postgresql://...`, the fleet collector's store) loaded on first use
// (src/core/on_demand_library.hpp): the functions src/store and src/fleet call, with libpq-fe.h's signatures.

#include <libpq-fe.h>

#include "hw/ondemand/on_demand_libs.hpp"

namespace tw::ondemand {
OnDemandLibrary& libpq_library() {
  static OnDemandLibrary lib(TW_SONAME_PQ, TW_PACKAGE_PQ, "PostgreSQL (a postgresql:// database)");
  return lib;
}
}  // namespace tw::ondemand

extern "C" {

void PQclear(PGresult *res) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQclear, res); }
char *PQcmdTuples(PGresult *res) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQcmdTuples, res); }
PGconn *PQconnectdb(const char *conninfo) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQconnectdb, conninfo); }
PGconn *PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQconnectdbParams, keywords, values, expand_dbname); }
void PQconninfoFree(PQconninfoOption *connOptions) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQconninfoFree, connOptions); }
PQconninfoOption *PQconninfoParse(const char *conninfo, char **errmsg) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQconninfoParse, conninfo, errmsg); }
char *PQdb(const PGconn *conn) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQdb, conn); }
char *PQerrorMessage(const PGconn *conn) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQerrorMessage, conn); }
PGresult *PQexec(PGconn *conn, const char *query) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQexec, conn, query); }
PGresult *PQexecParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQexecParams, conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat); }
PGresult *PQexecPrepared(PGconn *conn, const char *stmtName, int nParams, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQexecPrepared, conn, stmtName, nParams, paramValues, paramLengths, paramFormats, resultFormat); }
void PQfinish(PGconn *conn) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQfinish, conn); }
void PQfreemem(void *ptr) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQfreemem, ptr); }
int PQgetisnull(const PGresult *res, int tup_num, int field_num) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQgetisnull, res, tup_num, field_num); }
int PQgetlength(const PGresult *res, int tup_num, int field_num) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQgetlength, res, tup_num, field_num); }
char *PQgetvalue(const PGresult *res, int tup_num, int field_num) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQgetvalue, res, tup_num, field_num); }
char *PQhost(const PGconn *conn) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQhost, conn); }
int PQnfields(const PGresult *res) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQnfields, res); }
int PQntuples(const PGresult *res) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQntuples, res); }
char *PQport(const PGconn *conn) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQport, conn); }
PGresult *PQprepare(PGconn *conn, const char *stmtName, const char *query, int nParams, const Oid *paramTypes) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQprepare, conn, stmtName, query, nParams, paramTypes); }
PGPing PQpingParams(const char *const *keywords, const char *const *values, int expand_dbname) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQpingParams, keywords, values, expand_dbname); }
char *PQresultErrorField(const PGresult *res, int fieldcode) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQresultErrorField, res, fieldcode); }
char *PQresultErrorMessage(const PGresult *res) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQresultErrorMessage, res); }
ExecStatusType PQresultStatus(const PGresult *res) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQresultStatus, res); }
PQnoticeProcessor PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor proc, void *arg) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQsetNoticeProcessor, conn, proc, arg); }
ConnStatusType PQstatus(const PGconn *conn) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQstatus, conn); }
PGTransactionStatusType PQtransactionStatus(const PGconn *conn) { TW_ON_DEMAND_CALL(tw::ondemand::libpq_library(), PQtransactionStatus, conn); }

}  // extern "C"
