#include "store/postgres.h"

#include <dlfcn.h>
#include <libpq-fe.h>

#include <memory>
#include <regex>
#include <string>
#include <type_traits>
#include <vector>

namespace kobun::store {
namespace {

// libpq is opened when a push starts rather than linked: it and what it pulls in
// (Kerberos, LDAP, GnuTLS, …) were a third of the start-up time of every kobun command,
// and only `kobun push` uses it.
struct Libpq {
  decltype(&PQconnectdb) connectdb;
  decltype(&PQstatus) status;
  decltype(&PQerrorMessage) errorMessage;
  decltype(&PQsetClientEncoding) setClientEncoding;
  decltype(&PQexec) exec;
  decltype(&PQresultStatus) resultStatus;
  decltype(&PQresultErrorMessage) resultErrorMessage;
  decltype(&PQgetvalue) getvalue;
  decltype(&PQputCopyData) putCopyData;
  decltype(&PQputCopyEnd) putCopyEnd;
  decltype(&PQgetResult) getResult;
  decltype(&PQclear) clear;
  decltype(&PQfinish) finish;
};

// Debian's libpq5 installs the library under its soname.
constexpr char kLibpqName[] = "libpq.so.5";

struct LoadedLibpq {
  Libpq functions{};
  std::string error;  // empty: every function was found
};

const LoadedLibpq& Load() {
  static const LoadedLibpq loaded = [] {
    LoadedLibpq result;
    void* handle = dlopen(kLibpqName, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      result.error = dlerror();
      return result;
    }
    auto bind = [&](auto* function, const char* name) {
      void* symbol = dlsym(handle, name);
      if (!symbol && result.error.empty()) result.error = std::string(kLibpqName) + " has no " + name;
      *function = reinterpret_cast<std::remove_pointer_t<decltype(function)>>(symbol);
    };
    Libpq& f = result.functions;
    bind(&f.connectdb, "PQconnectdb");
    bind(&f.status, "PQstatus");
    bind(&f.errorMessage, "PQerrorMessage");
    bind(&f.setClientEncoding, "PQsetClientEncoding");
    bind(&f.exec, "PQexec");
    bind(&f.resultStatus, "PQresultStatus");
    bind(&f.resultErrorMessage, "PQresultErrorMessage");
    bind(&f.getvalue, "PQgetvalue");
    bind(&f.putCopyData, "PQputCopyData");
    bind(&f.putCopyEnd, "PQputCopyEnd");
    bind(&f.getResult, "PQgetResult");
    bind(&f.clear, "PQclear");
    bind(&f.finish, "PQfinish");
    return result;
  }();
  return loaded;
}

// Only after PushToPostgres has seen Load() succeed.
const Libpq& Pq() { return Load().functions; }

struct ConnectionCloser {
  void operator()(PGconn* c) const { Pq().finish(c); }
};
struct ResultCloser {
  void operator()(PGresult* r) const { Pq().clear(r); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;
using Result = std::unique_ptr<PGresult, ResultCloser>;

std::string Trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Runs `sql`; false and *error unless the server answers with `expected`.
bool Exec(PGconn* c, const std::string& sql, ExecStatusType expected, Result* out, std::string* error) {
  Result r(Pq().exec(c, sql.c_str()));
  if (Pq().resultStatus(r.get()) != expected) {
    *error = Trimmed(Pq().resultErrorMessage(r.get()));
    if (error->empty()) *error = Trimmed(Pq().errorMessage(c));
    return false;
  }
  if (out) *out = std::move(r);
  return true;
}

bool Exec(PGconn* c, const std::string& sql, std::string* error) {
  return Exec(c, sql, PGRES_COMMAND_OK, nullptr, error);
}

// A field of COPY's text format: backslash, tab and line breaks escaped.
void AppendField(std::string* row, const std::string& value) {
  for (char c : value) {
    switch (c) {
      case '\\': *row += "\\\\"; break;
      case '\t': *row += "\\t"; break;
      case '\n': *row += "\\n"; break;
      case '\r': *row += "\\r"; break;
      default: *row += c;
    }
  }
}

// Streams rows into a COPY … FROM STDIN already started, in chunks.
class CopyWriter {
 public:
  explicit CopyWriter(PGconn* c) : c_(c) {}

  // A null field is \N.
  bool Row(const std::vector<const std::string*>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) buffer_ += '\t';
      if (fields[i]) AppendField(&buffer_, *fields[i]); else buffer_ += "\\N";
    }
    buffer_ += '\n';
    return buffer_.size() < (1 << 20) || Flush();
  }

  bool Finish(std::string* error) {
    if (!Flush() || Pq().putCopyEnd(c_, nullptr) != 1) {
      *error = Trimmed(Pq().errorMessage(c_));
      return false;
    }
    Result r(Pq().getResult(c_));
    if (Pq().resultStatus(r.get()) != PGRES_COMMAND_OK) {
      *error = Trimmed(Pq().resultErrorMessage(r.get()));
      return false;
    }
    while (PGresult* extra = Pq().getResult(c_)) Pq().clear(extra);
    return true;
  }

 private:
  bool Flush() {
    if (buffer_.empty()) return true;
    const bool ok = Pq().putCopyData(c_, buffer_.data(), static_cast<int>(buffer_.size())) == 1;
    buffer_.clear();
    return ok;
  }
  PGconn* c_;
  std::string buffer_;
};

int64_t Number(const Result& r, int row, int col) { return std::stoll(Pq().getvalue(r.get(), row, col)); }

}  // namespace

bool PushToPostgres(Database& db, const std::string& conninfo, const std::string& schema, PushCounts* counts,
                    std::string* error) {
  if (!std::regex_match(schema, std::regex("[a-z_][a-z0-9_]{0,62}"))) {
    *error = "schema \"" + schema + "\": use lower-case letters, digits and _";
    return false;
  }
  if (!Load().error.empty()) {
    *error = "kobun push needs libpq (Debian package libpq5): " + Load().error;
    return false;
  }
  Connection c(Pq().connectdb(conninfo.c_str()));
  if (Pq().status(c.get()) != CONNECTION_OK) {
    *error = "cannot connect to PostgreSQL: " + Trimmed(Pq().errorMessage(c.get()));
    return false;
  }
  Pq().setClientEncoding(c.get(), "UTF8");
  const std::string& s = schema;
  auto fail = [&](const std::string& what) {
    *error = what + ": " + *error;
    Exec(c.get(), "ROLLBACK", nullptr);
    return false;
  };
  if (!Exec(c.get(), "SET client_min_messages = warning; BEGIN", error)) return fail("cannot begin");
  // One push at a time per schema; a second waits for the first to commit.
  Result locked;
  if (!Exec(c.get(), "SELECT pg_advisory_xact_lock(hashtext('kobun." + s + "'))", PGRES_TUPLES_OK, &locked, error))
    return fail("cannot lock");
  const std::string ddl =
      "CREATE SCHEMA IF NOT EXISTS " + s + ";"
      "CREATE TABLE IF NOT EXISTS " + s + ".documents (sha256 text PRIMARY KEY, source_path text NOT NULL,"
      " media_type text, title text, issued_on text, page_count integer);"
      "CREATE TABLE IF NOT EXISTS " + s + ".records (key text PRIMARY KEY, kind text NOT NULL,"
      " document_sha256 text NOT NULL REFERENCES " + s + ".documents(sha256), page integer, locus text,"
      " rule_id text, run bigint, rules_version text, record jsonb NOT NULL);"
      "CREATE INDEX IF NOT EXISTS records_kind ON " + s + ".records(kind);"
      "CREATE INDEX IF NOT EXISTS records_document ON " + s + ".records(document_sha256);"
      "CREATE TEMP TABLE staging_documents (LIKE " + s + ".documents) ON COMMIT DROP;"
      "CREATE TEMP TABLE staging_records (LIKE " + s + ".records) ON COMMIT DROP;";
  if (!Exec(c.get(), ddl, error)) return fail("cannot create the tables");

  std::vector<StoredDocument> documents;
  if (!db.CurrentDocuments(&documents, error)) return fail("cannot read the documents");
  Result copy;
  if (!Exec(c.get(), "COPY staging_documents FROM STDIN", PGRES_COPY_IN, &copy, error))
    return fail("cannot copy documents");
  CopyWriter writer(c.get());
  for (const StoredDocument& d : documents) {
    const std::string pages = std::to_string(d.page_count);
    writer.Row({&d.sha256, &d.source_path, &d.media_type, d.title.empty() ? nullptr : &d.title,
                d.issued_on.empty() ? nullptr : &d.issued_on, &pages});
    ++counts->documents;
  }
  if (!writer.Finish(error)) return fail("cannot copy documents");

  if (!Exec(c.get(), "COPY staging_records FROM STDIN", PGRES_COPY_IN, &copy, error))
    return fail("cannot copy records");
  std::string read_error;
  const bool read = db.ForEachCurrentRecord("", 0, [&](const ExportedRecord& r) {
    const size_t colon = r.locus.find_first_of(":-");
    const std::string page = r.locus.substr(1, colon == std::string::npos ? std::string::npos : colon - 1);
    const std::string run = std::to_string(r.run_id);
    writer.Row({&r.key, &r.kind, &r.document_sha256, &page, &r.locus, r.rule_id.empty() ? nullptr : &r.rule_id, &run,
                &r.rules_version, &r.body});
    ++counts->records;
  }, &read_error);
  if (!read) {
    Pq().putCopyEnd(c.get(), "kobun could not read its records");
    *error = read_error;
    return fail("cannot read the records");
  }
  if (!writer.Finish(error)) return fail("cannot copy records");

  Result upserted;
  const std::string upsert =
      "INSERT INTO " + s + ".documents SELECT * FROM staging_documents ON CONFLICT (sha256) DO UPDATE SET"
      " source_path = EXCLUDED.source_path, media_type = EXCLUDED.media_type, title = EXCLUDED.title,"
      " issued_on = EXCLUDED.issued_on, page_count = EXCLUDED.page_count"
      " WHERE (documents.source_path, documents.media_type, documents.title, documents.issued_on,"
      " documents.page_count) IS DISTINCT FROM (EXCLUDED.source_path, EXCLUDED.media_type, EXCLUDED.title,"
      " EXCLUDED.issued_on, EXCLUDED.page_count);"
      "WITH upsert AS (INSERT INTO " + s + ".records SELECT * FROM staging_records ON CONFLICT (key) DO UPDATE SET"
      " kind = EXCLUDED.kind, document_sha256 = EXCLUDED.document_sha256, page = EXCLUDED.page,"
      " locus = EXCLUDED.locus, rule_id = EXCLUDED.rule_id, run = EXCLUDED.run,"
      " rules_version = EXCLUDED.rules_version, record = EXCLUDED.record"
      " WHERE (records.kind, records.document_sha256, records.page, records.locus, records.rule_id, records.run,"
      " records.rules_version, records.record) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.document_sha256,"
      " EXCLUDED.page, EXCLUDED.locus, EXCLUDED.rule_id, EXCLUDED.run, EXCLUDED.rules_version, EXCLUDED.record)"
      " RETURNING (xmax = 0) AS inserted)"
      " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upsert";
  if (!Exec(c.get(), upsert, PGRES_TUPLES_OK, &upserted, error)) return fail("cannot upsert");
  counts->inserted = Number(upserted, 0, 0);
  counts->updated = Number(upserted, 0, 1);

  Result deleted;
  const std::string remove =
      "WITH gone AS (DELETE FROM " + s + ".records r WHERE NOT EXISTS"
      " (SELECT 1 FROM staging_records n WHERE n.key = r.key) RETURNING 1) SELECT count(*) FROM gone";
  if (!Exec(c.get(), remove, PGRES_TUPLES_OK, &deleted, error)) return fail("cannot delete old records");
  counts->deleted = Number(deleted, 0, 0);
  if (!Exec(c.get(), "DELETE FROM " + s + ".documents d WHERE NOT EXISTS"
                     " (SELECT 1 FROM staging_documents n WHERE n.sha256 = d.sha256)", error))
    return fail("cannot delete old documents");
  if (!Exec(c.get(), "COMMIT", error)) return fail("cannot commit");
  return true;
}

}  // namespace kobun::store
