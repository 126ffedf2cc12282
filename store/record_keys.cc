#include "store/store.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <unordered_set>

#include "ingest/ingest.h"

namespace kobun::store {
namespace {

// Writes JSON exactly as nlohmann::json::dump() does (no spaces, UTF-8 kept, the same
// escapes), so bodies stay byte-equal across versions of kobun; it appends to one string
// instead of building a tree per record, which cost more than extracting the record.
class JsonWriter {
 public:
  JsonWriter() { out_.reserve(256); }
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // `name` is one of the field names (RecordFields): plain ASCII, nothing to escape.
  void Key(std::string_view name) {
    Separate();
    out_ += '"';
    out_.append(name);
    out_.append("\":", 2);
    after_key_ = true;
  }
  void String(std::string_view value) { Value(); AppendString(value); }
  void Int(long long value) {
    Value();
    char digits[24];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  }
  void Double(double value) { Value(); out_ += nlohmann::json(value).dump(); }
  void Bool(bool value) { Value(); value ? out_.append("true", 4) : out_.append("false", 5); }
  void Null() { Value(); out_.append("null", 4); }
  // Empty text and zero counts are "not found": null, as in the SQL tables.
  void TextOrNull(std::string_view value) { value.empty() ? Null() : String(value); }
  void PositiveOrNull(int value) { value > 0 ? Int(value) : Null(); }
  // page, start and end; a record without a span has null start and end.
  void Span(int page, int start, int end) {
    Key("page"), Int(page);
    Key("start"), start >= 0 ? Int(start) : Null();
    Key("end"), start >= 0 ? Int(end) : Null();
  }
  std::string Take() { return std::move(out_); }

 private:
  static constexpr int kMaxDepth = 8;  // records nest three deep
  void Open(char bracket) {
    Value();
    out_ += bracket;
    if (depth_ < kMaxDepth) empty_[depth_] = true;
    ++depth_;
  }
  void Close(char bracket) {
    out_ += bracket;
    --depth_;
  }
  void Separate() {
    if (depth_ == 0 || depth_ > kMaxDepth) return;
    if (!empty_[depth_ - 1]) out_ += ',';
    empty_[depth_ - 1] = false;
  }
  void Value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    Separate();
  }
  void AppendString(std::string_view value) {
    out_ += '"';
    size_t plain = 0;  // start of the run of bytes copied as they are
    for (size_t i = 0; i < value.size(); ++i) {
      const auto c = static_cast<unsigned char>(value[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(value.data() + plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default: {
          static const char kHex[] = "0123456789abcdef";
          out_ += "\\u00";
          out_ += kHex[c >> 4];
          out_ += kHex[c & 0xF];
        }
      }
    }
    out_.append(value.data() + plain, value.size() - plain);
    out_ += '"';
  }

  std::string out_;
  bool empty_[kMaxDepth] = {};  // per open object or array: nothing written in it yet
  int depth_ = 0;
  bool after_key_ = false;
};

std::string Span(int page, int start, int end) {
  std::string span = "p";  // appended piece by piece: g++ 12 warns falsely on "p" + std::string
  span += std::to_string(page);
  if (start < 0) return span;
  span += ':';
  span += std::to_string(start);
  span += '-';
  span += std::to_string(end);
  return span;
}

class Keyer {
 public:
  Keyer(const std::string& document_sha256, KeyedRecords* out) : document_(document_sha256), out_(out) {}

  // `value` is what the record says, in the few fields that make it this record.
  const std::string& Add(const std::string& kind, const std::string& locus, const std::string& value,
                         const std::string& rule_id, JsonWriter* body) {
    const std::string identity = document_ + '\x1e' + kind + '\x1e' + locus + '\x1e' + value;
    std::string key = ingest::Sha256Hex(identity).substr(0, 32);
    // Two records alike in kind, span and value (a table printed twice on a page) are
    // told apart by their order.
    for (int n = 2; !seen_.insert(key).second; ++n)
      key = ingest::Sha256Hex(identity + '\x1e' + std::to_string(n)).substr(0, 32);
    out_->all.push_back({kind, key, locus, rule_id, body->Take()});
    out_->keys[kind].push_back(key);
    return out_->all.back().key;
  }

 private:
  std::string document_;
  KeyedRecords* out_;
  std::unordered_set<std::string> seen_;
};

std::string TableLocus(const extract::TableRecord& t) {
  std::string locus = "p";
  locus += std::to_string(t.first_page);
  if (t.last_page != t.first_page) {
    locus += '-';
    locus += std::to_string(t.last_page);
  }
  int first_offset = -1;
  for (const extract::TableCell& c : t.cells) {
    if (c.page_no == t.first_page && c.start_offset >= 0 && (first_offset < 0 || c.start_offset < first_offset))
      first_offset = c.start_offset;
  }
  if (first_offset >= 0) {
    locus += ':';
    locus += std::to_string(first_offset);
  }
  return locus;
}

}  // namespace

const std::vector<std::string>& RecordKinds() {
  static const std::vector<std::string> kKinds = {"dates",    "municipalities", "areas",  "tables",
                                                  "projects", "agreements",     "clauses"};
  return kKinds;
}

const std::vector<std::string>& RecordFields(const std::string& kind) {
  static const std::map<std::string, std::vector<std::string>> kFields = {
      {"dates", {"page", "start", "end", "surface", "start_date", "end_date", "precision", "inferred",
                 "weekday_mismatch", "impossible", "rule_id"}},
      {"municipalities", {"page", "start", "end", "surface", "code", "name", "prefecture", "kind", "resolution",
                          "successor_code", "rule_id"}},
      {"areas", {"page", "start", "end", "surface", "area_id", "name"}},
      {"tables", {"first_page", "last_page", "rows", "cols", "bbox", "rule_id", "cells"}},
      {"projects", {"page", "start", "end", "number", "name", "status", "field", "area", "description",
                    "cross_reference", "participants", "participant_codes", "rule_id"}},
      {"agreements", {"page", "start", "end", "kind", "title", "concluded_on", "legal_basis", "amended_content",
                      "parties", "appendices", "rule_id"}},
      {"clauses", {"agreement_key", "page", "start", "end", "path", "part", "article", "article_sub", "heading",
                   "paragraph", "item", "subitem", "text", "rule_id"}},
  };
  static const std::vector<std::string> kNone;
  auto it = kFields.find(kind);
  return it == kFields.end() ? kNone : it->second;
}

KeyedRecords KeyRecords(const std::string& document_sha256, const extract::Records& records) {
  KeyedRecords out;
  out.document_sha256 = document_sha256;
  for (const std::string& kind : RecordKinds()) out.keys[kind];
  Keyer keyer(document_sha256, &out);
  const std::string dates = "dates", municipalities = "municipalities", areas = "areas", tables = "tables",
                    projects = "projects", agreements = "agreements", clauses = "clauses";

  for (const extract::DateRecord& d : records.dates) {
    JsonWriter body;
    body.BeginObject();
    body.Span(d.page_no, d.start_offset, d.end_offset);
    body.Key("surface"), body.String(d.surface);
    body.Key("start_date"), body.TextOrNull(d.start_date);
    body.Key("end_date"), body.TextOrNull(d.end_date);
    body.Key("precision"), body.TextOrNull(d.precision);
    body.Key("inferred"), body.Bool(d.inferred);
    body.Key("weekday_mismatch"), body.Bool(d.weekday_mismatch);
    body.Key("impossible"), body.Bool(d.impossible);
    body.Key("rule_id"), body.String(d.rule_id);
    body.EndObject();
    keyer.Add(dates, Span(d.page_no, d.start_offset, d.end_offset),
              d.start_date + '\x1f' + d.end_date + '\x1f' + d.precision, d.rule_id, &body);
  }
  for (const extract::MunicipalityRecord& m : records.municipalities) {
    JsonWriter body;
    body.BeginObject();
    body.Span(m.page_no, m.start_offset, m.end_offset);
    body.Key("surface"), body.String(m.surface);
    body.Key("code"), body.TextOrNull(m.code);
    body.Key("name"), body.String(m.name);
    body.Key("prefecture"), body.TextOrNull(m.prefecture);
    body.Key("kind"), body.String(m.kind);
    body.Key("resolution"), body.String(m.resolution);
    body.Key("successor_code"), body.TextOrNull(m.successor_code);
    body.Key("rule_id"), body.String(m.rule_id);
    body.EndObject();
    keyer.Add(municipalities, Span(m.page_no, m.start_offset, m.end_offset), m.code + '\x1f' + m.name, m.rule_id,
              &body);
  }
  for (const extract::AreaRecord& a : records.areas) {
    JsonWriter body;
    body.BeginObject();
    body.Span(a.page_no, a.start_offset, a.end_offset);
    body.Key("surface"), body.String(a.surface);
    body.Key("area_id"), body.Int(a.area_id);
    body.Key("name"), body.String(a.name);
    body.EndObject();
    keyer.Add(areas, Span(a.page_no, a.start_offset, a.end_offset), std::to_string(a.area_id), "", &body);
  }
  for (const extract::TableRecord& t : records.tables) {
    JsonWriter body;
    body.BeginObject();
    body.Key("first_page"), body.Int(t.first_page);
    body.Key("last_page"), body.Int(t.last_page);
    body.Key("rows"), body.Int(t.row_count);
    body.Key("cols"), body.Int(t.col_count);
    body.Key("bbox");
    if (t.x1 > 0) {
      body.BeginArray();
      for (double v : {t.x0, t.y0, t.x1, t.y1}) body.Double(v);
      body.EndArray();
    } else {
      body.Null();
    }
    body.Key("rule_id"), body.String(t.rule_id);
    body.Key("cells"), body.BeginArray();
    std::string value = std::to_string(t.row_count) + "x" + std::to_string(t.col_count);
    for (const extract::TableCell& c : t.cells) {
      body.BeginObject();
      body.Key("row"), body.Int(c.row);
      body.Key("col"), body.Int(c.col);
      body.Key("text"), body.String(c.text);
      body.Key("header"), body.Bool(c.is_header);
      body.Span(c.page_no, c.start_offset, c.end_offset);
      body.EndObject();
      value += '\x1f';
      value += c.text;
    }
    body.EndArray();
    body.EndObject();
    keyer.Add(tables, TableLocus(t), value, t.rule_id, &body);
  }
  for (const extract::ProjectRecord& p : records.projects) {
    JsonWriter body;
    body.BeginObject();
    body.Span(p.page_no, p.start_offset, p.end_offset);
    body.Key("number"), body.PositiveOrNull(p.number);
    body.Key("name"), body.String(p.name);
    body.Key("status"), body.TextOrNull(p.status);
    body.Key("field"), body.TextOrNull(p.field);
    body.Key("area"), body.TextOrNull(p.area);
    body.Key("description"), body.TextOrNull(p.description);
    body.Key("cross_reference"), body.TextOrNull(p.cross_reference);
    body.Key("participants"), body.TextOrNull(p.participants);
    body.Key("participant_codes"), body.BeginArray();
    for (const extract::ProjectRecord::Participant& m : p.participant_codes) {
      body.BeginObject();
      body.Key("abbreviation"), body.String(m.abbreviation);
      body.Key("code"), body.TextOrNull(m.code);
      body.Key("name"), body.TextOrNull(m.name);
      body.Key("rule_id"), body.TextOrNull(m.rule_id);
      body.EndObject();
    }
    body.EndArray();
    body.Key("rule_id"), body.String(p.rule_id);
    body.EndObject();
    keyer.Add(projects, Span(p.page_no, p.start_offset, p.end_offset), std::to_string(p.number) + '\x1f' + p.name,
              p.rule_id, &body);
  }
  const std::vector<std::string>& table_keys = out.keys[tables];
  std::vector<std::string> agreement_keys;
  for (const extract::AgreementRecord& a : records.agreements) {
    const std::string rule_id = a.rule_id.empty() ? "structure" : a.rule_id;
    JsonWriter body;
    body.BeginObject();
    body.Span(a.page_no, a.start_offset, a.end_offset);
    body.Key("kind"), body.String(a.kind);
    body.Key("title"), body.TextOrNull(a.title);
    body.Key("concluded_on"), body.TextOrNull(a.concluded_on);
    body.Key("legal_basis"), body.TextOrNull(a.legal_basis);
    body.Key("amended_content"), body.TextOrNull(a.amended_content);
    body.Key("parties"), body.BeginArray();
    for (const extract::AgreementParty& p : a.parties) {
      body.BeginObject();
      body.Key("code"), body.String(p.code);
      body.Key("name"), body.TextOrNull(p.name);
      body.Key("alias"), body.TextOrNull(p.alias);
      body.Key("signatory"), body.TextOrNull(p.signatory);
      body.EndObject();
    }
    body.EndArray();
    body.Key("appendices"), body.BeginArray();
    for (const extract::AgreementRecord::Appendix& x : a.appendices) {
      body.BeginObject();
      body.Key("label"), body.String(x.label);
      body.Key("table_keys"), body.BeginArray();
      for (int t : x.tables) body.String(table_keys.at(static_cast<size_t>(t)));
      body.EndArray();
      body.EndObject();
    }
    body.EndArray();
    body.Key("rule_id"), body.String(rule_id);
    body.EndObject();
    agreement_keys.push_back(
        keyer.Add(agreements, Span(a.page_no, a.start_offset, a.end_offset), a.kind + '\x1f' + a.title, rule_id, &body));
  }
  for (size_t i = 0; i < records.agreements.size(); ++i) {
    for (const extract::ClauseRecord& c : records.agreements[i].clauses) {
      JsonWriter body;
      body.BeginObject();
      body.Key("agreement_key"), body.String(agreement_keys[i]);
      body.Span(c.page_no, c.start_offset, c.end_offset);
      body.Key("path"), body.String(c.path);
      body.Key("part"), body.String(c.part);
      body.Key("article"), body.PositiveOrNull(c.article);
      body.Key("article_sub"), body.PositiveOrNull(c.article_sub);
      body.Key("heading"), body.TextOrNull(c.heading);
      body.Key("paragraph"), body.PositiveOrNull(c.paragraph);
      body.Key("item"), body.TextOrNull(c.item);
      body.Key("subitem"), body.TextOrNull(c.subitem);
      body.Key("text"), body.String(c.text);
      body.Key("rule_id"), body.String(c.rule_id);
      body.EndObject();
      keyer.Add(clauses, Span(c.page_no, c.start_offset, c.end_offset), c.path + '\x1f' + c.text, c.rule_id, &body);
    }
  }
  return out;
}

}  // namespace kobun::store
