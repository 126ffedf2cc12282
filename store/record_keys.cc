#include "store/record_keys.h"

#include <nlohmann/json.hpp>
#include <set>

#include "ingest/ingest.h"

namespace kobun::store {
namespace {

using Json = nlohmann::ordered_json;

// Empty text and zero counts are "not found": null, as in the SQL tables.
Json TextOrNull(const std::string& value) { return value.empty() ? Json(nullptr) : Json(value); }
Json PositiveOrNull(int value) { return value > 0 ? Json(value) : Json(nullptr); }

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

void AddSpan(Json* body, int page, int start, int end) {
  (*body)["page"] = page;
  (*body)["start"] = start >= 0 ? Json(start) : Json(nullptr);
  (*body)["end"] = start >= 0 ? Json(end) : Json(nullptr);
}

class Keyer {
 public:
  Keyer(const std::string& document_sha256, KeyedRecords* out) : document_(document_sha256), out_(out) {}

  // `value` is what the record says, in the few fields that make it this record.
  const std::string& Add(const std::string& kind, const std::string& locus, const std::string& value,
                         const std::string& rule_id, const Json& body) {
    const std::string identity = document_ + '\x1e' + kind + '\x1e' + locus + '\x1e' + value;
    std::string key = ingest::Sha256Hex(identity).substr(0, 32);
    // Two records alike in kind, span and value (a table printed twice on a page) are
    // told apart by their order.
    for (int n = 2; !seen_.insert(key).second; ++n)
      key = ingest::Sha256Hex(identity + '\x1e' + std::to_string(n)).substr(0, 32);
    out_->all.push_back({kind, key, locus, rule_id, body.dump()});
    out_->keys[kind].push_back(key);
    return out_->all.back().key;
  }

 private:
  std::string document_;
  KeyedRecords* out_;
  std::set<std::string> seen_;
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
  for (const std::string& kind : RecordKinds()) out.keys[kind];
  Keyer keyer(document_sha256, &out);

  for (const extract::DateRecord& d : records.dates) {
    Json body;
    AddSpan(&body, d.page_no, d.start_offset, d.end_offset);
    body["surface"] = d.surface;
    body["start_date"] = TextOrNull(d.start_date);
    body["end_date"] = TextOrNull(d.end_date);
    body["precision"] = TextOrNull(d.precision);
    body["inferred"] = d.inferred;
    body["weekday_mismatch"] = d.weekday_mismatch;
    body["impossible"] = d.impossible;
    body["rule_id"] = d.rule_id;
    keyer.Add("dates", Span(d.page_no, d.start_offset, d.end_offset),
              d.start_date + '\x1f' + d.end_date + '\x1f' + d.precision, d.rule_id, body);
  }
  for (const extract::MunicipalityRecord& m : records.municipalities) {
    Json body;
    AddSpan(&body, m.page_no, m.start_offset, m.end_offset);
    body["surface"] = m.surface;
    body["code"] = TextOrNull(m.code);
    body["name"] = m.name;
    body["prefecture"] = TextOrNull(m.prefecture);
    body["kind"] = m.kind;
    body["resolution"] = m.resolution;
    body["successor_code"] = TextOrNull(m.successor_code);
    body["rule_id"] = m.rule_id;
    keyer.Add("municipalities", Span(m.page_no, m.start_offset, m.end_offset), m.code + '\x1f' + m.name, m.rule_id,
              body);
  }
  for (const extract::AreaRecord& a : records.areas) {
    Json body;
    AddSpan(&body, a.page_no, a.start_offset, a.end_offset);
    body["surface"] = a.surface;
    body["area_id"] = a.area_id;
    body["name"] = a.name;
    keyer.Add("areas", Span(a.page_no, a.start_offset, a.end_offset), std::to_string(a.area_id), "", body);
  }
  for (const extract::TableRecord& t : records.tables) {
    Json body;
    body["first_page"] = t.first_page;
    body["last_page"] = t.last_page;
    body["rows"] = t.row_count;
    body["cols"] = t.col_count;
    body["bbox"] = t.x1 > 0 ? Json::array({t.x0, t.y0, t.x1, t.y1}) : Json(nullptr);
    body["rule_id"] = t.rule_id;
    Json cells = Json::array();
    std::string value = std::to_string(t.row_count) + "x" + std::to_string(t.col_count);
    for (const extract::TableCell& c : t.cells) {
      Json cell;
      cell["row"] = c.row;
      cell["col"] = c.col;
      cell["text"] = c.text;
      cell["header"] = c.is_header;
      AddSpan(&cell, c.page_no, c.start_offset, c.end_offset);
      cells.push_back(std::move(cell));
      value += '\x1f' + c.text;
    }
    body["cells"] = std::move(cells);
    keyer.Add("tables", TableLocus(t), value, t.rule_id, body);
  }
  for (const extract::ProjectRecord& p : records.projects) {
    Json body;
    AddSpan(&body, p.page_no, p.start_offset, p.end_offset);
    body["number"] = PositiveOrNull(p.number);
    body["name"] = p.name;
    body["status"] = TextOrNull(p.status);
    body["field"] = TextOrNull(p.field);
    body["area"] = TextOrNull(p.area);
    body["description"] = TextOrNull(p.description);
    body["cross_reference"] = TextOrNull(p.cross_reference);
    body["participants"] = TextOrNull(p.participants);
    Json participants = Json::array();
    for (const extract::ProjectRecord::Participant& m : p.participant_codes) {
      participants.push_back({{"abbreviation", m.abbreviation},
                              {"code", TextOrNull(m.code)},
                              {"name", TextOrNull(m.name)},
                              {"rule_id", TextOrNull(m.rule_id)}});
    }
    body["participant_codes"] = std::move(participants);
    body["rule_id"] = p.rule_id;
    keyer.Add("projects", Span(p.page_no, p.start_offset, p.end_offset),
              std::to_string(p.number) + '\x1f' + p.name, p.rule_id, body);
  }
  const std::vector<std::string>& table_keys = out.keys["tables"];
  std::vector<std::string> agreement_keys;
  for (const extract::AgreementRecord& a : records.agreements) {
    const std::string rule_id = a.rule_id.empty() ? "structure" : a.rule_id;
    Json body;
    AddSpan(&body, a.page_no, a.start_offset, a.end_offset);
    body["kind"] = a.kind;
    body["title"] = TextOrNull(a.title);
    body["concluded_on"] = TextOrNull(a.concluded_on);
    body["legal_basis"] = TextOrNull(a.legal_basis);
    body["amended_content"] = TextOrNull(a.amended_content);
    Json parties = Json::array();
    for (const extract::AgreementParty& p : a.parties) {
      parties.push_back({{"code", p.code},
                         {"name", TextOrNull(p.name)},
                         {"alias", TextOrNull(p.alias)},
                         {"signatory", TextOrNull(p.signatory)}});
    }
    body["parties"] = std::move(parties);
    Json appendices = Json::array();
    for (const extract::AgreementRecord::Appendix& x : a.appendices) {
      Json keys = Json::array();
      for (int t : x.tables) keys.push_back(table_keys.at(static_cast<size_t>(t)));
      appendices.push_back({{"label", x.label}, {"table_keys", std::move(keys)}});
    }
    body["appendices"] = std::move(appendices);
    body["rule_id"] = rule_id;
    agreement_keys.push_back(keyer.Add("agreements", Span(a.page_no, a.start_offset, a.end_offset),
                                       a.kind + '\x1f' + a.title, rule_id, body));
  }
  for (size_t i = 0; i < records.agreements.size(); ++i) {
    for (const extract::ClauseRecord& c : records.agreements[i].clauses) {
      Json body;
      body["agreement_key"] = agreement_keys[i];
      AddSpan(&body, c.page_no, c.start_offset, c.end_offset);
      body["path"] = c.path;
      body["part"] = c.part;
      body["article"] = PositiveOrNull(c.article);
      body["article_sub"] = PositiveOrNull(c.article_sub);
      body["heading"] = TextOrNull(c.heading);
      body["paragraph"] = PositiveOrNull(c.paragraph);
      body["item"] = TextOrNull(c.item);
      body["subitem"] = TextOrNull(c.subitem);
      body["text"] = c.text;
      body["rule_id"] = c.rule_id;
      keyer.Add("clauses", Span(c.page_no, c.start_offset, c.end_offset), c.path + '\x1f' + c.text, c.rule_id, body);
    }
  }
  return out;
}

}  // namespace kobun::store
