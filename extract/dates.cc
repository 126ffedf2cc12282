#include "extract/dates.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "common/utf8.h"
#include "extract/japanese_calendar.h"
#include "extract/numbers.h"
#include "extract/role_rules.h"

namespace kobun::extract {
namespace {

enum class Role { kPoint, kRangeStart, kRangeEnd, kRangePart };

// The group names a date rule may use.
enum Field {
  kEra, kEraLetter, kYear, kWYear, kMonth, kDay, kWday, kFiscal, kDecade, kRel, kFyRel, kSameMonth, kToday, kNum, kFieldCount
};
constexpr const char* kFieldNames[kFieldCount] = {"era",   "eraletter", "year", "wyear", "month",     "day", "wday",
                                                  "fiscal", "decade",   "rel",  "fyrel", "samemonth", "today", "num"};

struct CompiledRule {
  std::string id;
  Role role = Role::kPoint;
  std::unique_ptr<RE2> re;
  int field_group[kFieldCount];  // capture group index per field, -1 if absent
  std::vector<int> not_groups;
  int groups = 0;
  bool may_cross_lines = false;  // MayMatchNewline: searched over the whole page
};

// One match of one rule, in code points of the page text.
struct Match {
  int begin = 0, end = 0;
  const CompiledRule* rule = nullptr;
  bool blocked = false;
  std::u32string field[kFieldCount];
  bool has(Field f) const { return !field[f].empty(); }
};

// A point made concrete enough to value.
struct Point {
  int era = -1;       // ICU era index of a written era
  int era_year = -1;  // a year counted in an era (written or inherited era)
  int wyear = -1;
  int month = -1, day = -1, wday = 0;
  bool fiscal = false, decade = false, same_month = false, today = false;
  std::optional<int> rel, fyrel;
  int num = -1;
  bool has_year() const { return wyear >= 0 || era_year >= 0 || rel || fyrel; }
  bool year_written() const { return wyear >= 0 || era_year >= 0; }
};

struct Context {
  int year = -1;
  int month = -1;
  bool fiscal = false;
  int era = -1;
  // The issue date, once known.
  int issue_year = -1, issue_month = -1, issue_day = -1;
};

struct Valued {
  bool ok = false;
  int y1 = 0, m1 = 0, d1 = 0, y2 = 0, m2 = 0, d2 = 0;
  std::string precision;
  bool inferred = false, weekday_mismatch = false, impossible = false;
  int era_used = -1;
};

std::string Iso(int y, int m, int d) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, m, d);
  return buffer;
}

int WeekdayNumber(std::u32string_view w) {
  static const std::u32string_view kDays = U"月火水木金土日";
  const size_t at = w.empty() ? std::u32string_view::npos : kDays.find(w[0]);
  return at == std::u32string_view::npos ? 0 : static_cast<int>(at) + 1;
}

int FiscalYearOf(int y, int m) { return m >= 4 ? y : y - 1; }

}  // namespace

struct DateExtractor::Impl {
  std::vector<CompiledRule> rules;
  // All rules at once, and the connector after them: one pass over a stretch of lines
  // says which rules match in it at all, and only those search it. Null if the set
  // could not be built.
  std::unique_ptr<RE2::Set> any_rule;
  std::unique_ptr<RE2> connector, closing;
  bool connector_may_cross_lines = false;
  // Bounds on the text a connector can begin (RE2::PossibleMatchRange): at or after
  // connector_min, first byte at most connector_max_first. Most numbers are followed by
  // a counter (月, 人, 件), which these turn away without asking RE2.
  std::string connector_min;
  int connector_max_first = 0xFF;
  // The connector with "$": one search of the ten bytes before a piece finds a connector
  // ending there. Null when the connector has assertions that read beyond its match.
  std::unique_ptr<RE2> connector_at_end;
  std::map<std::u32string, std::string> era_letters;  // R → 令和
  std::map<std::u32string, int> relative_years, relative_fiscal;

  std::vector<Match> FindMatches(const std::u32string& text) const;
  bool NextToConnector(const std::string& utf8, size_t begin, size_t end, Role role) const;
  Point ToPoint(const Match& m) const;
  Valued Value(Point start, std::optional<Point> end, const Context& ctx) const;
  bool ValuePoint(const Point& p, const Context& ctx, int* year, bool* inferred) const;
};

DateExtractor::DateExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DateExtractor::~DateExtractor() = default;

std::unique_ptr<DateExtractor> DateExtractor::Create(const RuleFile& file, std::string* error) {
  auto impl = std::make_unique<Impl>();
  RE2::Options options;
  options.set_log_errors(false);
  for (const Rule& rule : file.rules) {
    CompiledRule c;
    c.id = rule.id;
    if (rule.role.empty() || rule.role == "point") {
      c.role = Role::kPoint;
    } else if (rule.role == "range_start") {
      c.role = Role::kRangeStart;
    } else if (rule.role == "range_end") {
      c.role = Role::kRangeEnd;
    } else if (rule.role == "range_part") {
      c.role = Role::kRangePart;
    } else {
      *error = file.path.string() + ": rule " + rule.id + ": unknown role \"" + rule.role + "\"";
      return nullptr;
    }
    c.re = std::make_unique<RE2>(rule.pattern, options);
    if (!c.re->ok()) {
      *error = file.path.string() + ": rule " + rule.id + ": " + c.re->error();
      return nullptr;
    }
    c.groups = c.re->NumberOfCapturingGroups();
    c.may_cross_lines = MayMatchNewline(rule.pattern);
    std::fill(std::begin(c.field_group), std::end(c.field_group), -1);
    for (const auto& group : c.re->NamedCapturingGroups()) {
      const std::string& name = group.first;  // a plain name: clang 14 cannot capture bindings
      const int index = group.second;
      if (name.rfind("not", 0) == 0) {
        c.not_groups.push_back(index);
        continue;
      }
      const auto* f = std::find_if(std::begin(kFieldNames), std::end(kFieldNames),
                                   [&](const char* n) { return name == n; });
      if (f == std::end(kFieldNames)) {
        *error = file.path.string() + ": rule " + rule.id + ": unknown group name \"" + name + "\"";
        return nullptr;
      }
      c.field_group[f - std::begin(kFieldNames)] = index;
    }
    impl->rules.push_back(std::move(c));
  }
  for (const auto& [letter, era] : file.Table("era_letters")) {
    if (EraIndex(era) < 0) {
      *error = file.path.string() + ": [era_letters] " + letter + " = " + era + " is not an era ICU knows";
      return nullptr;
    }
    impl->era_letters[DecodeUtf8(letter)] = era;
  }
  for (const auto& [word, offset] : file.Table("relative_years")) impl->relative_years[DecodeUtf8(word)] = std::stoi(offset);
  for (const auto& [word, offset] : file.Table("relative_fiscal_years"))
    impl->relative_fiscal[DecodeUtf8(word)] = std::stoi(offset);
  const auto range = file.Table("range");
  const std::string connector = range.count("connector") ? range.at("connector") : "~";
  impl->connector = std::make_unique<RE2>(connector, options);
  if (std::string min, max; impl->connector->ok() && MatchRange(*impl->connector, &min, &max) && !min.empty()) {
    impl->connector_min = min;
    impl->connector_max_first = static_cast<unsigned char>(max[0]);
  }
  if (connector.find_first_of("^$") == std::string::npos && connector.find("\\b") == std::string::npos &&
      connector.find("\\B") == std::string::npos && connector.find("\\A") == std::string::npos &&
      connector.find("\\z") == std::string::npos) {
    impl->connector_at_end = std::make_unique<RE2>("(?:" + connector + ")$", options);
    if (!impl->connector_at_end->ok()) impl->connector_at_end.reset();
  }
  impl->closing = std::make_unique<RE2>(range.count("closing") ? range.at("closing") : "まで", options);
  if (!impl->connector->ok() || !impl->closing->ok()) {
    *error = file.path.string() + ": [range]: " + (impl->connector->ok() ? impl->closing->error() : impl->connector->error());
    return nullptr;
  }
  impl->connector_may_cross_lines = MayMatchNewline(connector);
  RE2::Options set_options = options;
  set_options.set_max_mem(64 << 20);
  impl->any_rule = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
  for (const CompiledRule& rule : impl->rules) {
    if (impl->any_rule->Add(rule.re->pattern(), nullptr) < 0) impl->any_rule.reset();
    if (!impl->any_rule) break;
  }
  if (impl->any_rule && (impl->any_rule->Add(connector, nullptr) < 0 || !impl->any_rule->Compile())) {
    impl->any_rule.reset();
  }
  return std::unique_ptr<DateExtractor>(new DateExtractor(std::move(impl)));
}

// Whether the connector follows byte `end` (range starts) or, for pieces that may be
// either end, precedes byte `begin`.
bool DateExtractor::Impl::NextToConnector(const std::string& utf8, size_t begin, size_t end, Role role) const {
  if (role != Role::kRangeEnd) {
    const bool could_start = connector_min.empty() ||
                             (end < utf8.size() && static_cast<unsigned char>(utf8[end]) <= connector_max_first &&
                              utf8.compare(end, connector_min.size(), connector_min) >= 0);
    if (could_start && connector->Match(utf8, end, utf8.size(), RE2::ANCHOR_START, nullptr, 0)) return true;
  }
  if (role == Role::kRangeStart) return false;
  const size_t from = begin >= 10 ? begin - 10 : 0;
  if (connector_at_end) {
    // A connector [begin - k, begin) for some k of 1 to 10: the leftmost match ending at
    // `begin` in those bytes, and an empty one means there is none.
    re2::StringPiece found;
    const re2::StringPiece before(utf8.data() + from, begin - from);
    return connector_at_end->Match(before, 0, before.size(), RE2::UNANCHORED, &found, 1) && !found.empty();
  }
  for (size_t k = 1; k <= 10 && k <= begin; ++k) {
    if (connector->Match(utf8, begin - k, begin, RE2::ANCHOR_BOTH, nullptr, 0)) return true;
  }
  return false;
}

std::vector<Match> DateExtractor::Impl::FindMatches(const std::u32string& text) const {
  const std::string utf8 = EncodeUtf8(text);
  // Code-point offset of every byte offset that starts a character.
  std::vector<int> cp(utf8.size() + 1, 0);
  for (size_t b = 0, c = 0; b <= utf8.size(); ++b) {
    if (b == utf8.size() || (static_cast<unsigned char>(utf8[b]) & 0xC0) != 0x80) cp[b] = static_cast<int>(c++);
  }
  auto offset = [&](const re2::StringPiece& piece) { return static_cast<size_t>(piece.data() - utf8.data()); };

  // Spans first, groups later: most matches lose to a longer one (1月 inside
  // 令和4年1月31日), and reading a match's groups costs more than finding it.
  struct Span {
    size_t byte_begin, byte_end;
    int begin, end;  // code points
    const CompiledRule* rule;
  };
  std::vector<Span> found;
  // The matches of `rule` in utf8[from, to), read with the whole page around it (for ^,
  // $ and \b), in the order a search of the whole page meets them.
  auto search = [&](const CompiledRule& rule, size_t from, size_t to) {
    const bool piece = rule.role != Role::kPoint;
    re2::StringPiece whole;
    size_t pos = from;
    while (pos <= to && rule.re->Match(utf8, pos, to, RE2::UNANCHORED, &whole, 1)) {
      const size_t b = offset(whole), e = b + whole.size();
      if (e == b) {  // an empty match moves on by one character
        pos = e + 1;
        while (pos < to && (static_cast<unsigned char>(utf8[pos]) & 0xC0) == 0x80) ++pos;
        continue;
      }
      pos = e;
      // A piece that counts only inside a range is dropped unless a connector is next
      // to it: bare numbers are everywhere, and most are not dates.
      if (piece && !NextToConnector(utf8, b, e, rule.role)) continue;
      found.push_back({b, e, cp[b], cp[e], &rule});
    }
  };
  // A rule that may match across a line break searches the whole page. The others
  // search, stretch by stretch of whole lines, only where the set says they match: a
  // match within one line lies within one stretch, and found there as a search of the
  // whole page finds it. Most lines hold no date, and a page is read about twice instead
  // of once per rule. Pieces of a range need a connector next to them, so on the same
  // line (unless the connector itself may hold a line break).
  const size_t connector_index = rules.size();
  auto whole_page = [&](size_t i) { return rules[i].may_cross_lines || !any_rule; };
  std::optional<bool> page_connector;
  if (connector_may_cross_lines) page_connector = connector->Match(utf8, 0, utf8.size(), RE2::UNANCHORED, nullptr, 0);
  for (size_t i = 0; i < rules.size(); ++i) {
    if (!whole_page(i)) continue;
    if (rules[i].role != Role::kPoint) {
      if (!page_connector) page_connector = connector->Match(utf8, 0, utf8.size(), RE2::UNANCHORED, nullptr, 0);
      if (!*page_connector) continue;
    }
    search(rules[i], 0, utf8.size());
  }
  // Stretches of at least this many bytes, so that a set search is not paid per short
  // line (48 to 256 bytes measured alike).
  constexpr size_t kStretch = 96;
  std::vector<int> matching;
  for (size_t from = 0; any_rule && from < utf8.size();) {
    size_t to = utf8.find('\n', std::min(utf8.size(), from + kStretch));
    to = to == std::string::npos ? utf8.size() : to;
    matching.clear();
    RE2::Set::ErrorInfo set_error;
    if (!any_rule->Match(re2::StringPiece(utf8.data() + from, to - from), &matching, &set_error) &&
        set_error.kind != RE2::Set::kNoError) {
      // Out of memory: every rule searches the stretch.
      matching.resize(rules.size() + 1);
      for (size_t i = 0; i <= rules.size(); ++i) matching[i] = static_cast<int>(i);
    }
    std::sort(matching.begin(), matching.end());
    const bool connector_here =
        connector_may_cross_lines ? *page_connector : (!matching.empty() && matching.back() == static_cast<int>(connector_index));
    for (const int index : matching) {
      const size_t i = static_cast<size_t>(index);
      if (i == connector_index || whole_page(i)) continue;
      if (rules[i].role != Role::kPoint && !connector_here) continue;
      search(rules[i], from, to);
    }
    from = to + 1;
  }
  // Longest first, then the rule listed first; keep what does not overlap a better one.
  std::vector<size_t> order(found.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Span &x = found[a], &y = found[b];
    if (x.end - x.begin != y.end - y.begin) return x.end - x.begin > y.end - y.begin;
    if (x.rule != y.rule) return x.rule < y.rule;
    return x.begin < y.begin;
  });
  std::map<int, size_t> taken;  // begin → index of the kept match there; kept spans never overlap
  for (size_t i : order) {
    const Span& m = found[i];
    auto next = taken.lower_bound(m.begin);
    if (next != taken.end() && next->first < m.end) continue;
    if (next != taken.begin() && found[std::prev(next)->second].end > m.begin) continue;
    taken.emplace(m.begin, i);
  }
  // The groups of each match kept: its rule matched exactly there, so matching it
  // anchored at both ends reads the same groups as the search that found it.
  std::vector<Match> kept;
  kept.reserve(taken.size());
  std::vector<re2::StringPiece> groups;
  for (const auto& [begin, i] : taken) {
    const Span& span = found[i];
    const CompiledRule& rule = *span.rule;
    groups.assign(static_cast<size_t>(rule.groups) + 1, re2::StringPiece());
    if (!rule.re->Match(utf8, span.byte_begin, span.byte_end, RE2::ANCHOR_BOTH, groups.data(),
                        static_cast<int>(groups.size())))
      continue;  // cannot happen: it matched there
    Match m;
    m.begin = span.begin;
    m.end = span.end;
    m.rule = &rule;
    for (int g : rule.not_groups) m.blocked = m.blocked || groups[g].data() != nullptr;
    for (int f = 0; f < kFieldCount; ++f) {
      const int g = rule.field_group[f];
      if (g >= 0 && groups[g].data() != nullptr && !groups[g].empty()) {
        const size_t gb = offset(groups[g]);
        m.field[f] = text.substr(cp[gb], cp[gb + groups[g].size()] - cp[gb]);
      }
    }
    kept.push_back(std::move(m));
  }
  return kept;
}

Point DateExtractor::Impl::ToPoint(const Match& m) const {
  Point p;
  if (m.has(kEra)) p.era = EraIndex(EncodeUtf8(m.field[kEra]));
  if (m.has(kEraLetter)) {
    auto it = era_letters.find(m.field[kEraLetter]);
    if (it != era_letters.end()) p.era = EraIndex(it->second);
  }
  if (m.has(kYear)) p.era_year = ParseJapaneseNumber(m.field[kYear]);
  if (m.has(kWYear)) p.wyear = ParseJapaneseNumber(m.field[kWYear]);
  if (m.has(kMonth)) p.month = ParseJapaneseNumber(m.field[kMonth]);
  if (m.has(kDay)) p.day = ParseJapaneseNumber(m.field[kDay]);
  if (m.has(kWday)) p.wday = WeekdayNumber(m.field[kWday]);
  p.fiscal = m.has(kFiscal);
  p.decade = m.has(kDecade);
  p.same_month = m.has(kSameMonth);
  p.today = m.has(kToday);
  if (m.has(kRel)) {
    auto it = relative_years.find(m.field[kRel]);
    if (it != relative_years.end()) p.rel = it->second;
  }
  if (m.has(kFyRel)) {
    auto it = relative_fiscal.find(m.field[kFyRel]);
    if (it != relative_fiscal.end()) p.fyrel = it->second;
  }
  if (m.has(kNum)) p.num = ParseJapaneseNumber(m.field[kNum]);
  return p;
}

// The Gregorian year of a point, from what is written or from the context.
bool DateExtractor::Impl::ValuePoint(const Point& p, const Context& ctx, int* year, bool* inferred) const {
  *inferred = false;
  if (p.wyear >= 0) {
    *year = p.wyear;
    return true;
  }
  if (p.era_year >= 0) {
    const int era = p.era >= 0 ? p.era : ctx.era;
    if (era < 0) return false;
    *inferred = p.era < 0;
    *year = GregorianYear(era, p.era_year);
    return true;
  }
  *inferred = true;
  if (p.fyrel) {
    if (ctx.issue_year >= 0) {
      *year = FiscalYearOf(ctx.issue_year, ctx.issue_month) + *p.fyrel;
    } else if (ctx.year >= 0 && ctx.fiscal) {
      *year = ctx.year + *p.fyrel;
    } else {
      return false;
    }
    return true;
  }
  if (p.rel) {
    if (ctx.year < 0) return false;
    *year = ctx.year + *p.rel;
    return true;
  }
  if (p.month < 1) return false;
  if (ctx.year >= 0) {
    *year = ctx.fiscal && p.month < 4 ? ctx.year + 1 : ctx.year;
    return true;
  }
  if (ctx.issue_year >= 0) {
    // The year that puts the month nearest the issue date.
    int best = ctx.issue_year, best_distance = 1 << 30;
    for (int y = ctx.issue_year - 1; y <= ctx.issue_year + 1; ++y) {
      const int distance = std::abs((y * 12 + p.month) - (ctx.issue_year * 12 + ctx.issue_month));
      if (distance < best_distance) best = y, best_distance = distance;
    }
    *year = best;
    return true;
  }
  return false;
}

Valued DateExtractor::Impl::Value(Point start, std::optional<Point> end, const Context& ctx) const {
  Valued v;
  // 同月22日: the month and year of the governing date.
  for (Point* p : {&start, end ? &*end : nullptr}) {
    if (p == nullptr || !p->same_month) continue;
    if (ctx.month < 0) return v;
    p->month = ctx.month;
    p->rel = 0;
  }
  // 本日: the issue date.
  if (start.today) {
    if (ctx.issue_year < 0 || end) return v;
    start.wyear = ctx.issue_year, start.month = ctx.issue_month, start.day = ctx.issue_day;
  }
  // 1, 2月: a bare number before a month in one match is the first month of a span.
  if (!end && start.num >= 0 && start.month >= 0 && !start.has_year()) {
    end = start;
    end->num = -1;
    start.month = start.num;
    start.day = -1;
  }
  if (end) {
    // A bare number takes its unit from the other end: 4~6月, 令和3～7年度.
    if (start.num >= 0 && !start.has_year() && start.month < 0) {
      if (end->month >= 0 && !end->has_year()) {
        start.month = start.num;
      } else if (end->era_year >= 0 && end->wyear < 0) {
        start.era_year = start.num;
        start.era = end->era;
      } else {
        return v;
      }
    }
    if (end->num >= 0 && !end->has_year() && end->month < 0) return v;
    if (end->era_year >= 0 && end->era < 0 && start.era >= 0 && start.wyear < 0) end->era = start.era;
    const bool start_year_only = start.month < 0, end_year_only = end->month < 0;
    if (end->fiscal && start_year_only) start.fiscal = true;
    if (start.fiscal && end_year_only) end->fiscal = true;
  }
  int y1;
  bool inferred1;
  if (!ValuePoint(start, ctx, &y1, &inferred1)) return v;
  int y2 = y1;
  bool inferred2 = inferred1;
  if (end) {
    if (end->rel && !end->fyrel && end->wyear < 0 && end->era_year < 0) {
      y2 = y1 + *end->rel;  // 同年 in a range: the year of its start
    } else if (end->has_year()) {
      if (!ValuePoint(*end, ctx, &y2, &inferred2)) return v;
    } else if (end->month >= 1) {
      // 7月10日～8月31日, 12/26~1/25: the start's year, or the next when the end comes before it.
      y2 = y1;
      const int m1 = start.month >= 1 ? start.month : 1, d1 = start.day >= 1 ? start.day : 1;
      if (end->month < m1 || (end->month == m1 && end->day >= 1 && end->day < d1)) ++y2;
    } else {
      return v;
    }
  }
  const Point& last = end ? *end : start;
  auto span = [](const Point& p, int y, int* ys, int* ms, int* ds, int* ye, int* me, int* de, std::string* precision) {
    if (p.decade) {
      // 昭和40年代 runs from 昭和40 (1965) for ten years; 1970年代 from 1970.
      *ys = y, *ms = 1, *ds = 1, *ye = y + 9, *me = 12, *de = 31;
      *precision = "decade";
    } else if (p.fiscal || p.fyrel) {
      *ys = y, *ms = 4, *ds = 1, *ye = y + 1, *me = 3, *de = 31;
      *precision = "fiscal_year";
    } else if (p.day >= 1) {
      *ys = *ye = y, *ms = *me = p.month, *ds = *de = p.day;
      *precision = "day";
    } else if (p.month >= 1) {
      *ys = *ye = y, *ms = *me = p.month, *ds = 1, *de = DaysInMonth(y, p.month);
      *precision = "month";
    } else {
      *ys = *ye = y, *ms = 1, *ds = 1, *me = 12, *de = 31;
      *precision = "year";
    }
  };
  int ys, ms, ds, ye, me, de, ys2, ms2, ds2, ye2, me2, de2;
  std::string precision1, precision2;
  span(start, y1, &ys, &ms, &ds, &ye, &me, &de, &precision1);
  span(last, y2, &ys2, &ms2, &ds2, &ye2, &me2, &de2, &precision2);
  v.y1 = ys, v.m1 = ms, v.d1 = ds;
  v.y2 = ye2, v.m2 = me2, v.d2 = de2;
  v.precision = precision1;
  v.inferred = inferred1 || inferred2 || start.today;
  auto check = [&](const Point& p, int y, int m, int d, int yend, int mend, int dend, int era_of_point) {
    if (p.month >= 1 && (p.month > 12 || (p.day >= 1 && p.day > DaysInMonth(y, p.month)))) {
      v.impossible = true;
      return;
    }
    if (p.wday > 0 && p.day >= 1 && Weekday(y, p.month, p.day) != p.wday) v.weekday_mismatch = true;
    if (era_of_point >= 0 && !p.decade) {
      // Some day of the span must fall inside the era: 令和元年4月1日 does not.
      const int first = EraOn(y, m, d), last_era = EraOn(yend, mend, dend);
      if (first > era_of_point || last_era < era_of_point) v.impossible = true;
    }
  };
  check(start, ys, ms, ds, ye, me, de, start.era_year >= 0 && start.wyear < 0 ? start.era : -1);
  if (end) check(*end, ys2, ms2, ds2, ye2, me2, de2, end->era_year >= 0 && end->wyear < 0 ? end->era : -1);
  if (v.impossible) {
    // Recorded as written, not moved to a day that exists.
    if (precision1 == "day") v.m1 = start.month, v.d1 = start.day;
    if (v.precision == "day") v.m2 = last.month, v.d2 = last.day;
  }
  v.era_used = last.era >= 0 ? last.era : start.era;
  v.ok = true;
  return v;
}

void DateExtractor::Extract(const std::vector<PageText>& pages, Records* records) const {
  struct Found {
    int page_index;
    Match start;
    std::optional<Match> end;
    int begin, stop;
    bool in_parentheses;
    int line;  // line number on the page
  };
  std::vector<Found> found;
  for (size_t pi = 0; pi < pages.size(); ++pi) {
    const std::u32string& text = pages[pi].text;
    std::vector<Match> matches = impl_->FindMatches(text);
    size_t scanned = 0;
    int line = 0, depth = 0;
    for (size_t i = 0; i < matches.size(); ++i) {
      Match& m = matches[i];
      if (m.blocked) continue;
      Found f{static_cast<int>(pi), m, std::nullopt, m.begin, m.end, false, 0};
      const bool can_start = m.rule->role != Role::kRangeEnd;
      if (can_start && i + 1 < matches.size() && !matches[i + 1].blocked &&
          matches[i + 1].rule->role != Role::kRangeStart) {
        const std::string between = EncodeUtf8(text.substr(m.end, matches[i + 1].begin - m.end));
        if (RE2::FullMatch(between, *impl_->connector)) {
          f.end = matches[i + 1];
          f.stop = matches[i + 1].end;
          ++i;
          // まで closes a から range; it belongs to the expression.
          const std::string after = EncodeUtf8(text.substr(f.stop, 4));
          re2::StringPiece rest(after);
          if (RE2::Consume(&rest, *impl_->closing)) f.stop += static_cast<int>(DecodeUtf8(after.substr(0, after.size() - rest.size())).size());
        }
      }
      if (!f.end && m.rule->role != Role::kPoint) continue;
      // Line number and parenthesis depth (within the line) at f.begin, read on from
      // the previous match: matches come in text order, and a long line must not be
      // read again for each date on it.
      for (; scanned < static_cast<size_t>(f.begin); ++scanned) {
        const char32_t c = text[scanned];
        if (c == U'\n') {
          ++line;
          depth = 0;
        } else if (c == U'(') {
          ++depth;
        } else if (c == U')' && depth > 0) {
          --depth;
        }
      }
      f.in_parentheses = depth > 0;
      f.line = line;
      found.push_back(std::move(f));
    }
  }

  // Values found[0, count) in reading order, each date setting the context of the next.
  auto value_all = [&](Context ctx, size_t count, std::vector<Valued>* out) {
    out->clear();
    for (size_t i = 0; i < count; ++i) {
      const Found& f = found[i];
      const Point start = impl_->ToPoint(f.start);
      std::optional<Point> end;
      if (f.end) end = impl_->ToPoint(*f.end);
      Valued v = impl_->Value(start, end, ctx);
      out->push_back(v);
      if (!v.ok) continue;
      // 同62年 refers to the era last written, even in parentheses.
      if (!v.inferred && v.era_used >= 0) ctx.era = v.era_used;
      // An aside in parentheses — (R4 4回開催) in a 2023年度 schedule — governs nothing.
      if (f.in_parentheses || (!start.year_written() && !start.rel && !start.same_month)) continue;
      const bool fiscal = v.precision == "fiscal_year";
      // A date inside the governing fiscal year leaves it governing: a schedule for
      // 2023年度 that mentions 2023年12月26日 still puts 2/14 in 2024.
      if (ctx.fiscal && !fiscal && ctx.year >= 0 && FiscalYearOf(v.y1, v.m1) == ctx.year) continue;
      // A range governs by its start: 2023(令和5)年12月26日~2024(令和6)年1月25日 sets 2023.
      ctx.fiscal = fiscal;
      ctx.year = v.y1;
      ctx.month = (v.precision == "day" || v.precision == "month") ? v.m1 : -1;
    }
  };

  // The issue date: the first written day among the first lines of the first page. Only
  // the dates on those lines are valued without it to find it; then all are valued.
  size_t head = 0;
  while (head < found.size() && found[head].page_index == 0 && found[head].line < 12) ++head;
  std::vector<Valued> values;
  value_all(Context(), head, &values);
  Context ctx;
  for (size_t i = 0; i < head; ++i) {
    const Valued& v = values[i];
    if (v.ok && !v.inferred && !v.impossible && v.precision == "day" && !found[i].end) {
      ctx.issue_year = v.y1, ctx.issue_month = v.m1, ctx.issue_day = v.d1;
      records->issued_on = Iso(v.y1, v.m1, v.d1);
      break;
    }
  }
  value_all(ctx, found.size(), &values);

  for (size_t i = 0; i < found.size(); ++i) {
    const Valued& v = values[i];
    if (!v.ok) continue;
    const Found& f = found[i];
    DateRecord r;
    r.page_no = pages[f.page_index].page_no;
    r.start_offset = f.begin;
    r.end_offset = f.stop;
    r.surface = EncodeUtf8(pages[f.page_index].text.substr(f.begin, f.stop - f.begin));
    r.start_date = Iso(v.y1, v.m1, v.d1);
    r.end_date = Iso(v.y2, v.m2, v.d2);
    r.precision = v.precision;
    r.inferred = v.inferred;
    r.weekday_mismatch = v.weekday_mismatch;
    r.impossible = v.impossible;
    r.rule_id = f.end ? f.start.rule->id + "~" + f.end->rule->id : f.start.rule->id;
    records->dates.push_back(std::move(r));
  }
}

}  // namespace kobun::extract
