// Private to store/: how KeyRecords (store.h) keys records.
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

}  // namespace kobun::store

#endif  // KOBUN_STORE_RECORD_KEYS_H_
