#include "extract/agreements.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>

#include "common/utf8.h"
#include "extract/numbers.h"
#include "extract/role_rules.h"
#include "extract/text_lines.h"

namespace kobun::extract {
namespace {

// Why an agreement's concluded_on is what it is (its rule_id).
constexpr char kSignatureDate[] = "signature-date";
constexpr char kCoverDate[] = "cover-date";

// A position in the document: page, then code-point offset in its text.
struct Position {
  int page_no = 0;
  int offset = 0;
  bool operator<(const Position& o) const { return page_no != o.page_no ? page_no < o.page_no : offset < o.offset; }
  bool operator<=(const Position& o) const { return !(o < *this); }
};

Position StartOf(const TextLine& line) { return {line.page->page_no, static_cast<int>(line.begin)}; }

std::string WithoutSpaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

// 1 for "1", "一", "①".
int ItemNumber(const std::string& written) {
  const std::u32string u = DecodeUtf8(written);
  if (u.size() == 1 && u[0] >= U'①' && u[0] <= U'⑳') return static_cast<int>(u[0] - U'①') + 1;
  return ParseJapaneseNumber(u);
}

}  // namespace

struct AgreementExtractor::Impl {
  RoleRules rules;

  const RoleRule* FirstMatch(std::string_view role, std::string_view text, Groups* groups) const {
    return rules.FirstMatch(role, text, groups);
  }
  bool Is(std::string_view role, std::string_view text) const { return rules.Matches(role, text); }

  void Extract(const std::vector<TextLine>& lines, Records* records) const;
};

namespace {

// One instrument while the lines are read.
struct Draft {
  size_t region_begin = 0;  // the first line that belongs to it (a title above its start)
  size_t region_end = 0;    // one past its last line
  size_t preamble = SIZE_MAX, closing = SIZE_MAX, first_article = SIZE_MAX;
  std::vector<size_t> appendix_lines;
  AgreementRecord record;
  int articles = 0, articles_with_text = 0;
};

}  // namespace

void AgreementExtractor::Impl::Extract(const std::vector<TextLine>& lines, Records* records) const {
  // An instrument is kept only with an article or a preamble (`keep` below). A document
  // without a line that is either has none, and its lines need no other rule: most
  // documents are not agreements.
  if (std::none_of(lines.begin(), lines.end(),
                   [&](const TextLine& l) { return Is("article", l.text) || Is("preamble", l.text); }))
    return;
  enum class Part { kBefore, kMain, kSupplementary, kSignature, kAppendix };

  std::vector<Draft> drafts(1);
  Part part = Part::kBefore;
  bool quoted = false, aside = false;
  std::string pending_heading;
  // The clause being read and where it sits.
  int article = 0, article_sub = 0, paragraph = 0, item = 0;
  std::string heading, article_path;
  ClauseRecord* open = nullptr;
  bool article_has_text = false;

  auto finish_article = [&] {
    if (article > 0 && article_has_text) ++drafts.back().articles_with_text;
    article_has_text = false;
  };
  auto start_instrument = [&](size_t trigger) {
    finish_article();
    Draft& previous = drafts.back();
    // Its title, when one stands just above, belongs to the new instrument.
    size_t begin = trigger;
    for (size_t k = trigger; k > previous.region_begin && trigger - k < 8; --k) {
      if (Is("title", lines[k - 1].text)) {
        begin = k - 1;
        break;
      }
    }
    previous.region_end = begin;
    drafts.emplace_back();
    drafts.back().region_begin = begin;
    part = Part::kBefore;
    quoted = aside = false;
    open = nullptr;
    article = article_sub = paragraph = item = 0;
  };
  auto path_of = [&](int p, int i, const std::string& sub) {
    std::string path = article_path + "第" + std::to_string(p) + "項";
    if (i > 0) path += "第" + std::to_string(i) + "号";
    return path + sub;
  };
  auto new_clause = [&](const TextLine& line, const std::string& text, const std::string& rule_id) -> ClauseRecord* {
    ClauseRecord c;
    c.part = part == Part::kSupplementary ? "supplementary" : "main";
    c.article = part == Part::kSupplementary ? 0 : article;
    c.article_sub = part == Part::kSupplementary ? 0 : article_sub;
    c.heading = heading;
    c.paragraph = paragraph;
    c.text = text;
    c.page_no = line.page->page_no;
    c.start_offset = static_cast<int>(line.begin);
    c.end_offset = static_cast<int>(line.end);
    c.rule_id = rule_id;
    if (!text.empty()) article_has_text = true;
    drafts.back().record.clauses.push_back(std::move(c));
    return &drafts.back().record.clauses.back();
  };
  auto text_of = [](Groups& g) { return g.count("text") ? g["text"] : g.count("rest") ? g["rest"] : std::string(); };

  for (size_t i = 0; i < lines.size(); ++i) {
    const TextLine& line = lines[i];
    const std::string& t = line.text;
    Draft& draft = drafts.back();
    Groups g;
    if (Is("ignore", t)) continue;
    if (line.last_on_page && t.find_first_not_of("0123456789") == std::string::npos) continue;  // page number

    Groups article_groups;
    const RoleRule* article_rule = FirstMatch("article", t, &article_groups);
    if (Is("preamble", t) && !quoted && !article_rule) {
      if (draft.articles > 0 || draft.preamble != SIZE_MAX) start_instrument(i);
      drafts.back().preamble = i;
      open = nullptr;
      continue;
    }
    if (quoted) {
      // The amendment's own next article ends the text it puts in; 第3条 of that text does not.
      auto own_next = [&](Groups& found) {
        return part == Part::kMain && ParseJapaneseNumber(DecodeUtf8(found["number"])) == article + 1;
      };
      bool own_article = article_rule && own_next(article_groups);
      // A heading over the amendment's own next article ends it too.
      Groups next;
      if (!own_article && Is("heading", t) && i + 1 < lines.size() && FirstMatch("article", lines[i + 1].text, &next))
        own_article = own_next(next);
      const bool ends = own_article || Is("instruction", t) || Is("supplementary", t) || Is("closing", t);
      if (!ends) {
        draft.record.amended_content += t + "\n";
        continue;
      }
      quoted = false;
    }
    if (Is("closing", t)) {
      finish_article();
      draft.closing = i;
      part = Part::kSignature;
      open = nullptr;
      continue;
    }
    if (Is("instruction", t)) draft.record.amended_content += t + "\n";
    if (Is("quote_opens", t)) quoted = true;  // after this line is read as text below

    if (article_rule) {
      const int number = ParseJapaneseNumber(DecodeUtf8(article_groups["number"]));
      const int sub = article_groups.count("sub") ? ParseJapaneseNumber(DecodeUtf8(article_groups["sub"])) : 0;
      // In a commentary, an earlier article number quotes a law (第38条 労働時間は…),
      // unless the articles so far were a table of contents (no text of their own).
      if (aside && number < article && part == Part::kMain) {
        const int with_text = draft.articles_with_text + (article_has_text ? 1 : 0);
        if (with_text * 2 > draft.articles) continue;
      }
      const bool restart = number == 1 && sub == 0 && draft.articles > 0 && part != Part::kSupplementary;
      if (restart || part == Part::kSignature || part == Part::kAppendix) {
        if (draft.articles > 0 || draft.closing != SIZE_MAX) start_instrument(i);
      }
      Draft& d = drafts.back();
      finish_article();
      if (part == Part::kBefore) part = Part::kMain;
      if (d.first_article == SIZE_MAX) d.first_article = i;
      ++d.articles;
      aside = false;
      article = number;
      article_sub = sub;
      heading = article_groups.count("heading") ? article_groups["heading"] : pending_heading;
      pending_heading.clear();
      article_path = part == Part::kSupplementary ? "附則" : "";
      article_path += "第" + std::to_string(number) + "条";
      if (sub > 0) article_path += "の" + std::to_string(sub);
      paragraph = 1;
      item = 0;
      open = new_clause(line, text_of(article_groups), article_rule->id);
      open->path = path_of(1, 0, "");
      // 第1条 …の一部を次のように変更する。: an amendment in articles.
      if (d.preamble == SIZE_MAX && Is("preamble", t)) d.preamble = i;
      continue;
    }
    if (FirstMatch("heading", t, &g)) {
      pending_heading = g["heading"];
      continue;
    }
    pending_heading.clear();
    if (Is("division", t) || Is("aside", t)) {
      aside = true;
      open = nullptr;
      continue;
    }
    if (const RoleRule* r = FirstMatch("supplementary", t, &g); r && part != Part::kBefore) {
      finish_article();
      part = Part::kSupplementary;
      aside = false;
      article = article_sub = paragraph = item = 0;
      heading.clear();
      article_path = "附則";
      open = nullptr;
      continue;
    }
    if (const RoleRule* r = FirstMatch("appendix", t, &g); r && part != Part::kBefore) {
      finish_article();
      part = Part::kAppendix;
      draft.appendix_lines.push_back(i);
      draft.record.appendices.push_back({g["label"], {}});
      open = nullptr;
      continue;
    }
    if (aside || part == Part::kBefore || part == Part::kSignature || part == Part::kAppendix) continue;

    if (const RoleRule* r = FirstMatch("paragraph", t, &g)) {
      const int number = std::stoi(g["number"]);
      if (number == paragraph + 1 || (number == 1 && paragraph == 0)) {
        paragraph = number;
        item = 0;
        open = new_clause(line, text_of(g), r->id);
        open->path = path_of(paragraph, 0, "");
        continue;
      }
    }
    if (const RoleRule* r = FirstMatch("item", t, &g)) {
      const int number = ItemNumber(g["number"]);
      if (number == item + 1) {
        if (paragraph == 0) paragraph = 1;
        item = number;
        open = new_clause(line, text_of(g), r->id);
        open->item = std::to_string(item);
        open->path = path_of(paragraph, item, "");
        continue;
      }
    }
    if (const RoleRule* r = FirstMatch("subitem", t, &g); r && item > 0) {
      open = new_clause(line, text_of(g), r->id);
      open->item = std::to_string(item);
      open->subitem = g["number"];
      open->path = path_of(paragraph, item, g["number"]);
      continue;
    }
    if (!open && part == Part::kSupplementary) {
      // An unnumbered 附則: its text is its first paragraph.
      paragraph = 1;
      open = new_clause(line, t, "supplementary");
      open->path = path_of(1, 0, "");
      continue;
    }
    if (open) {
      open->text += t;
      if (open->page_no == line.page->page_no) open->end_offset = static_cast<int>(line.end);
      article_has_text = true;
    }
  }
  finish_article();
  drafts.back().region_end = lines.size();

  // What each instrument is, who made it, when and on what basis.
  std::vector<Position> table_at(records->tables.size());
  for (size_t k = 0; k < records->tables.size(); ++k) {
    const TableRecord& t = records->tables[k];
    int offset = -1;
    for (const TableCell& c : t.cells)
      if (c.page_no == t.first_page && c.start_offset >= 0 && (offset < 0 || c.start_offset < offset)) offset = c.start_offset;
    // A PDF table whose cells the page text does not place: after anything on its page.
    table_at[k] = {t.first_page, offset >= 0 ? offset : INT32_MAX};
  }
  size_t title_floor = 0;
  for (Draft& d : drafts) {
    const bool agreement_like = d.preamble != SIZE_MAX || d.closing != SIZE_MAX;
    const bool keep = (d.articles > 0 && d.articles_with_text * 2 > d.articles) ||
                      (d.preamble != SIZE_MAX && (d.articles_with_text > 0 || d.record.amended_content.size() > 0));
    if (!keep) continue;
    AgreementRecord& a = d.record;
    const size_t start = std::min(d.preamble, d.first_article);
    for (size_t k = start; k > title_floor; --k) {
      Groups g;
      if (FirstMatch("title", lines[k - 1].text, &g)) {
        a.title = g["title"];
        a.page_no = lines[k - 1].page->page_no;
        a.start_offset = static_cast<int>(lines[k - 1].begin);
        a.end_offset = static_cast<int>(lines[k - 1].end);
        break;
      }
    }
    // A title run into the preamble by the PDF's line joining: "…連携協約熊本市及び…締結する。"
    for (size_t k = d.preamble; a.title.empty() && k < lines.size() && k + 4 > d.preamble && k > title_floor; --k) {
      Groups g;
      if (FirstMatch("title_run_on", lines[k].text, &g)) {
        a.title = g["title"];
        a.page_no = lines[k].page->page_no;
        a.start_offset = static_cast<int>(lines[k].begin);
        a.end_offset = a.start_offset + static_cast<int>(DecodeUtf8(a.title).size());
      }
    }
    if (a.title.empty() && start < lines.size()) {
      a.page_no = lines[start].page->page_no;
      a.start_offset = static_cast<int>(lines[start].begin);
      a.end_offset = static_cast<int>(lines[start].end);
    }
    const bool amendment = Is("amendment", a.title) ||
                           (d.preamble != SIZE_MAX && Is("amendment", lines[d.preamble].text)) ||
                           !a.amended_content.empty();
    a.kind = amendment ? "amendment" : agreement_like ? "agreement" : "articles";

    // The preamble sentence, which a PDF may break over lines: back to the last 。.
    size_t preamble_first = d.preamble;
    std::string preamble_text;
    if (d.preamble != SIZE_MAX) {
      while (preamble_first > d.region_begin && d.preamble - preamble_first < 3) {
        const std::string& above = lines[preamble_first - 1].text;
        if (above.ends_with("。") || Is("title", above) || Is("heading", above)) break;
        --preamble_first;
      }
      for (size_t k = preamble_first; k <= d.preamble; ++k) preamble_text += lines[k].text;
    }
    // Legal basis: in the preamble, else anywhere above the first article.
    {
      Groups g;
      if (FirstMatch("legal_basis", preamble_text, &g)) a.legal_basis = g["law"] + g["article"];
    }
    for (size_t k = d.region_begin; k < std::min(d.first_article, d.region_end) && a.legal_basis.empty(); ++k) {
      Groups g;
      if (FirstMatch("legal_basis", lines[k].text, &g)) a.legal_basis = g["law"] + g["article"];
    }

    // Parties: the municipalities the preamble lists (A及びBは, A(以下「甲」という。)と…).
    auto mentions_in = [&](const TextLine& line) {
      std::vector<const MunicipalityRecord*> found;
      for (const MunicipalityRecord& m : records->municipalities)
        if (!m.code.empty() && m.page_no == line.page->page_no && m.start_offset >= static_cast<int>(line.begin) &&
            m.end_offset <= static_cast<int>(line.end))
          found.push_back(&m);
      return found;
    };
    auto add_party = [&](const MunicipalityRecord& m) -> AgreementParty& {
      for (AgreementParty& p : a.parties)
        if (p.code == m.code) return p;
      a.parties.push_back({m.code, m.name, "", ""});
      return a.parties.back();
    };
    for (size_t k = preamble_first; d.preamble != SIZE_MAX && k <= d.preamble; ++k) {
      const TextLine& line = lines[k];
      for (const MunicipalityRecord* m : mentions_in(line)) {
        std::u32string after = line.page->text.substr(m->end_offset, 40);
        after.erase(std::remove(after.begin(), after.end(), U'\n'), after.end());
        const std::string follows = EncodeUtf8(after);
        if (!Is("party_follows", follows)) continue;
        AgreementParty& p = add_party(*m);
        Groups g;
        if (FirstMatch("alias", follows, &g)) p.alias = g["alias"];
      }
    }
    // Signatories: 郡山市長 品川 萬里 (the name on the same line or the next).
    if (d.closing != SIZE_MAX) {
      const size_t end = d.appendix_lines.empty() ? d.region_end : std::min(d.region_end, d.appendix_lines.front());
      for (size_t k = d.closing + 1; k < end; ++k) {
        Groups g;
        if (!FirstMatch("signatory", lines[k].text, &g)) continue;
        const auto offices = mentions_in(lines[k]);
        if (offices.empty()) continue;
        // The name on the same line, else below: one line, or a family name and a given
        // name that a right-aligned block split (大西 / 一史).
        std::string name = g.count("name") ? g["name"] : "";
        for (size_t n = k + 1; name.empty() || DecodeUtf8(WithoutSpaces(name)).size() <= 3; ++n) {
          if (n >= end || n > k + 2 || Is("signatory", lines[n].text) || !mentions_in(lines[n]).empty() ||
              DecodeUtf8(lines[n].text).size() > 8)
            break;
          name += lines[n].text;
        }
        add_party(*offices.front()).signatory = WithoutSpaces(name);
      }
    }

    // Concluded: the first full date of the signature block, else above the preamble.
    const Position closing_at = d.closing != SIZE_MAX ? StartOf(lines[d.closing]) : Position{INT32_MAX, 0};
    const Position region_end = d.region_end < lines.size() ? StartOf(lines[d.region_end]) : Position{INT32_MAX, 0};
    const Position preamble_at = StartOf(lines[start]);
    const Position region_begin = StartOf(lines[d.region_begin]);
    for (const DateRecord& date : records->dates) {
      if (date.precision != "day") continue;
      const Position at{date.page_no, date.start_offset};
      if (closing_at <= at && at < region_end) {
        a.concluded_on = date.start_date;
        a.rule_id = kSignatureDate;
        break;
      }
    }
    if (a.concluded_on.empty() && agreement_like) {
      for (const DateRecord& date : records->dates) {
        const Position at{date.page_no, date.start_offset};
        if (date.precision == "day" && region_begin <= at && at < preamble_at) {
          a.concluded_on = date.start_date;
          a.rule_id = kCoverDate;
          break;
        }
      }
    }

    // 別表: the tables between its line and the next 別表 (or the instrument's end).
    for (size_t k = 0; k < d.appendix_lines.size(); ++k) {
      const Position from = StartOf(lines[d.appendix_lines[k]]);
      const Position to = k + 1 < d.appendix_lines.size() ? StartOf(lines[d.appendix_lines[k + 1]]) : region_end;
      for (size_t t = 0; t < table_at.size(); ++t)
        if (from <= table_at[t] && table_at[t] < to) a.appendices[k].tables.push_back(static_cast<int>(t));
    }
    title_floor = d.region_end;
    records->agreements.push_back(std::move(a));
  }
}

AgreementExtractor::AgreementExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AgreementExtractor::~AgreementExtractor() = default;

std::unique_ptr<AgreementExtractor> AgreementExtractor::Create(const RuleFile& file, std::string* error) {
  auto impl = std::make_unique<Impl>();
  if (!impl->rules.Compile(file,
                           {"article", "heading", "paragraph", "item", "subitem", "supplementary", "appendix",
                            "closing", "division", "aside", "ignore", "preamble", "title", "title_run_on",
                            "amendment", "quote_opens", "instruction", "legal_basis", "alias", "party_follows",
                            "signatory"},
                           error))
    return nullptr;
  return std::unique_ptr<AgreementExtractor>(new AgreementExtractor(std::move(impl)));
}

void AgreementExtractor::Extract(const std::vector<TextLine>& lines, Records* records) const {
  impl_->Extract(lines, records);
}

}  // namespace kobun::extract
