// store: the current documents and records of a kobun database, pushed to PostgreSQL.
//
// The PostgreSQL side is two tables in one schema (default "kobun"):
//   <schema>.documents(sha256 PK, source_path, media_type, title, issued_on, page_count)
//   <schema>.records(key PK, kind, document_sha256 → documents, page, locus, rule_id,
//                    run, rules_version, record jsonb)
// A push makes them hold exactly the database's current documents and records: rows are
// copied into staging tables, then upserted by key, and rows the database no longer has
// are deleted — all in one transaction, so readers see the old set or the new one.
#ifndef KOBUN_STORE_POSTGRES_H_
#define KOBUN_STORE_POSTGRES_H_

#include <cstdint>
#include <string>

#include "store/store.h"

namespace kobun::store {

struct PushCounts {
  int64_t documents = 0, records = 0;             // what the push sent
  int64_t inserted = 0, updated = 0, deleted = 0;  // records changed on the server
};

// `conninfo` is a libpq connection string or postgresql:// URI; `schema` a lower-case
// SQL identifier. False and *error (the server's message) when anything fails; nothing
// on the server has changed then.
bool PushToPostgres(Database& db, const std::string& conninfo, const std::string& schema, PushCounts* counts,
                    std::string* error);

}  // namespace kobun::store

#endif  // KOBUN_STORE_POSTGRES_H_
