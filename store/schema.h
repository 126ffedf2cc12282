// Private to store/: the migrations that build the schema, one per version.
#ifndef KOBUN_STORE_SCHEMA_H_
#define KOBUN_STORE_SCHEMA_H_

#include <string_view>
#include <vector>

namespace kobun::store {

// migrations()[i] takes a database from user_version i to i + 1.
const std::vector<std::string_view>& Migrations();

}  // namespace kobun::store

#endif  // KOBUN_STORE_SCHEMA_H_
