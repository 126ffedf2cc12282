// Private to store/: the extract stage's records as keyed, comparable units.
//
// A record's key is a hash of its document's SHA-256, its kind, its locus (page and
// span) and its value, so the same record from two runs, or from two databases fed the
// same file, has the same key. Its body is the JSON object `kobun export` writes as
// "record"; two versions of a record are the same when their bodies are equal.
#ifndef KOBUN_STORE_RECORD_KEYS_H_
#define KOBUN_STORE_RECORD_KEYS_H_

#include <map>
#include <string>
#include <vector>

#include "extract/records.h"
#include "store/store.h"

namespace kobun::store {

struct KeyedRecord {
  std::string kind;   // one of RecordKinds()
  std::string key;    // 32 hex digits
  std::string locus;  // p3:120-131; p3-4:57 for a table (pages, first cell's offset)
  std::string rule_id;
  std::string body;   // JSON object, fields in a fixed order
};

struct KeyedRecords {
  std::vector<KeyedRecord> all;  // in the order of the kinds, then of the records
  // keys[kind][i] is the key of the i-th record of that kind (clauses: in agreement order).
  std::map<std::string, std::vector<std::string>> keys;
};

KeyedRecords KeyRecords(const std::string& document_sha256, const extract::Records& records);

}  // namespace kobun::store

#endif  // KOBUN_STORE_RECORD_KEYS_H_
