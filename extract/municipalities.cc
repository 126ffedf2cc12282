#include "extract/municipalities.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "common/utf8.h"
#include "extract/text_index.h"

namespace kobun::extract {
namespace {

struct Place {
  std::string code, name, full_name, prefecture, kind, parent_code;
  bool former = false;
  std::string until;      // former: the date it ceased to exist (ISO)
  std::string successor;  // former: its current successor's code
};

struct KeyInfo {
  std::vector<int> places;  // candidates
  bool variant = false;     // a spelling variant, not the official form
};

// Every spelling of `name` that the variant pairs give, the official one first.
std::vector<std::u32string> Spellings(const std::u32string& name,
                                      const std::vector<std::pair<std::u32string, std::u32string>>& pairs) {
  std::vector<std::u32string> out = {name};
  for (size_t i = 0; i < out.size() && out.size() < 16; ++i) {
    for (const auto& [a, b] : pairs) {
      for (const auto& [from, to] : {std::pair(a, b), std::pair(b, a)}) {
        const size_t at = out[i].find(from);
        if (at == std::u32string::npos) continue;
        std::u32string v = out[i];
        v.replace(at, from.size(), to);
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
      }
    }
  }
  return out;
}


}  // namespace

struct MunicipalityExtractor::Impl {
  std::vector<Place> places;
  Dictionary names;
  std::vector<KeyInfo> keys;  // by dictionary key index
  std::map<std::string, int> prefecture_place;  // 福島県 → its place
  std::map<char32_t, std::u32string> not_followed_by;
  std::vector<Area> areas;
  Dictionary area_names;
  std::vector<int> area_of_key;  // by area dictionary key index → index in areas
  std::map<std::string, std::set<int>> areas_of_code;  // code → indexes of areas it belongs to

  void AddKey(const std::u32string& key, int place, bool variant) {
    const int k = names.Add(key);
    if (static_cast<size_t>(k) >= keys.size()) keys.resize(k + 1);
    if (std::find(keys[k].places.begin(), keys[k].places.end(), place) == keys[k].places.end())
      keys[k].places.push_back(place);
    if (keys[k].places.size() == 1) keys[k].variant = variant;
  }
};

MunicipalityExtractor::MunicipalityExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MunicipalityExtractor::~MunicipalityExtractor() = default;

const std::vector<Area>& MunicipalityExtractor::areas() const { return impl_->areas; }

std::unique_ptr<MunicipalityExtractor> MunicipalityExtractor::Create(const RuleFile& file, std::string* error) {
  auto impl = std::make_unique<Impl>();
  const auto data = file.Table("data");
  for (const char* required : {"municipalities", "changes", "areas", "area_members"}) {
    if (!data.count(required)) {
      *error = file.path.string() + ": [data] needs " + required;
      return nullptr;
    }
  }
  const std::filesystem::path dir = file.path.parent_path();
  std::vector<std::pair<std::u32string, std::u32string>> variants;
  for (const auto& [a, b] : file.Table("variants")) variants.emplace_back(DecodeUtf8(a), DecodeUtf8(b));
  for (const auto& [suffix, chars] : file.Table("not_followed_by")) {
    const std::u32string s = DecodeUtf8(suffix);
    if (s.size() == 1) impl->not_followed_by[s[0]] = DecodeUtf8(chars);
  }

  CsvTable rows;
  if (!rows.Read(dir / data.at("municipalities"), error)) return nullptr;
  std::set<std::pair<std::string, std::string>> current_names;  // (prefecture, name)
  for (size_t r = 0; r < rows.size(); ++r) {
    const CsvTable::Row row = rows.row(r);
    if (row["status"] != "current") continue;
    Place p;
    p.code = row["code"];
    p.name = row["name"];
    p.full_name = row["full_name"];
    p.prefecture = row["prefecture"];
    p.kind = row["kind"];
    p.parent_code = row["parent_code"];
    if (p.code.size() != 6 || p.name.empty()) {
      *error = (dir / data.at("municipalities")).string() + ": a row without a 6-digit code or a name";
      return nullptr;
    }
    const int index = static_cast<int>(impl->places.size());
    impl->places.push_back(p);
    current_names.emplace(p.prefecture, p.name);
    if (p.kind == "prefecture") impl->prefecture_place[p.name] = index;
    bool first = true;
    for (const std::u32string& s : Spellings(DecodeUtf8(p.full_name), variants)) {
      impl->AddKey(s, index, !first);
      first = false;
    }
    if (p.kind == "designated_city_ward") impl->AddKey(DecodeUtf8(p.name), index, false);
  }

  if (!rows.Read(dir / data.at("changes"), error)) return nullptr;
  std::set<std::string> seen_former;
  for (size_t r = 0; r < rows.size(); ++r) {
    const CsvTable::Row row = rows.row(r);
    const std::string_view from = row["from_name"];
    const std::string_view to = row["to_name"];
    if (from.empty() || from == to || row["from_code"].size() != 6) continue;
    const std::u32string name = DecodeUtf8(from);
    const char32_t suffix = name.empty() ? 0 : name.back();
    if (suffix != U'市' && suffix != U'町' && suffix != U'村') continue;
    if (current_names.count({std::string(row["from_prefecture"]), std::string(from)})) continue;
    if (!seen_former.insert(std::string(row["from_code"]).append(from)).second) continue;
    Place p;
    p.code = row["from_code"];
    p.name = p.full_name = from;
    p.prefecture = row["from_prefecture"];
    p.kind = suffix == U'市' ? "city" : suffix == U'町' ? "town" : "village";
    p.former = true;
    p.until = row["date"];
    const std::string_view successors = row["current_successor_codes"];
    p.successor = successors.substr(0, successors.find(';'));
    const int index = static_cast<int>(impl->places.size());
    impl->places.push_back(p);
    bool first = true;
    for (const std::u32string& s : Spellings(name, variants)) {
      impl->AddKey(s, index, !first);
      first = false;
    }
  }
  impl->names.Build();

  if (!rows.Read(dir / data.at("areas"), error)) return nullptr;
  std::vector<std::string> suffixes;
  for (const auto& [order, suffix] : file.Table("area_suffixes")) suffixes.push_back(suffix);
  std::sort(suffixes.begin(), suffixes.end(), [](const std::string& a, const std::string& b) {
    return DecodeUtf8(a).size() > DecodeUtf8(b).size();
  });
  for (size_t r = 0; r < rows.size(); ++r) {
    const CsvTable::Row row = rows.row(r);
    Area area;
    area.id = std::atoi(std::string(row["area_id"]).c_str());
    area.name = row["area_name"];
    const int index = static_cast<int>(impl->areas.size());
    impl->areas.push_back(area);
    // The name itself, and its core with each of the usual endings: こおりやま広域圏 is
    // こおりやま広域連携中枢都市圏.
    std::set<std::u32string> aliases = {DecodeUtf8(area.name)};
    std::u32string core = DecodeUtf8(area.name);
    for (const std::string& suffix : suffixes) {
      const std::u32string s = DecodeUtf8(suffix);
      if (core.size() > s.size() + 1 && core.compare(core.size() - s.size(), s.size(), s) == 0) {
        core.resize(core.size() - s.size());
        break;
      }
    }
    for (const std::string& suffix : suffixes) aliases.insert(core + DecodeUtf8(suffix));
    for (const std::u32string& alias : aliases) {
      const int k = impl->area_names.Add(alias);
      if (static_cast<size_t>(k) >= impl->area_of_key.size()) impl->area_of_key.resize(k + 1, index);
    }
  }
  impl->area_names.Build();
  if (!rows.Read(dir / data.at("area_members"), error)) return nullptr;
  for (size_t r = 0; r < rows.size(); ++r) {
    const CsvTable::Row row = rows.row(r);
    const int id = std::atoi(std::string(row["area_id"]).c_str());
    for (size_t i = 0; i < impl->areas.size(); ++i) {
      if (impl->areas[i].id != id) continue;
      impl->areas[i].members.push_back({std::string(row["code"]), std::string(row["name"]), std::string(row["role"])});
      impl->areas_of_code[std::string(row["code"])].insert(static_cast<int>(i));
    }
  }
  return std::unique_ptr<MunicipalityExtractor>(new MunicipalityExtractor(std::move(impl)));
}

void MunicipalityExtractor::Extract(const std::vector<PageText>& pages, Records* records) const {
  const Impl& m = *impl_;
  const std::string document_date = records->issued_on.empty() ? "" : records->issued_on;

  // Regional areas the document names.
  std::set<int> document_areas;
  for (const PageText& page : pages) {
    for (const Dictionary::Hit& h : LongestFirst(m.area_names.FindAll(page.text))) {
      const Area& area = m.areas[m.area_of_key[h.key]];
      document_areas.insert(m.area_of_key[h.key]);
      records->areas.push_back({page.page_no, h.begin, h.end, EncodeUtf8(page.text.substr(h.begin, h.end - h.begin)),
                                area.id, area.name});
    }
  }

  struct Mention {
    size_t page;
    Dictionary::Hit hit;
    std::vector<int> candidates;
  };
  std::vector<Mention> mentions;
  for (size_t pi = 0; pi < pages.size(); ++pi) {
    const std::u32string& text = pages[pi].text;
    for (const Dictionary::Hit& h : LongestFirst(m.names.FindAll(text))) {
      const std::u32string& key = m.names.key(h.key);
      auto blocked = m.not_followed_by.find(key.back());
      if (blocked != m.not_followed_by.end() && static_cast<size_t>(h.end) < text.size() &&
          blocked->second.find(text[h.end]) != std::u32string::npos) {
        continue;  // 中央市場 is a market, not 中央市
      }
      // 東村山 is 東村山市 without its suffix, not 東村: a longer name goes on here.
      if (static_cast<size_t>(h.end) < text.size() && m.names.Continues(key, text[h.end])) continue;
      std::vector<int> candidates;
      for (int p : m.keys[h.key].places) {
        const Place& place = m.places[p];
        if (place.former && (document_date.empty() || document_date >= place.until)) continue;
        candidates.push_back(p);
      }
      if (!candidates.empty()) mentions.push_back({pi, h, candidates});
    }
  }

  // Evidence for resolving shared names: where the unambiguous places are.
  auto weight_for = [&](const Place& candidate, const Mention& around, bool nearby_only) {
    int score = 0;
    for (const Mention& other : mentions) {
      if (other.candidates.size() != 1 || &other == &around) continue;
      if (nearby_only && (other.page != around.page || std::abs(other.hit.begin - around.hit.begin) > 300)) continue;
      const Place& p = m.places[other.candidates[0]];
      if (p.prefecture == candidate.prefecture) ++score;
      if (!candidate.parent_code.empty() && p.code == candidate.parent_code) score += 5;
    }
    return score;
  };

  for (size_t i = 0; i < mentions.size(); ++i) {
    const Mention& mention = mentions[i];
    const std::u32string& text = pages[mention.page].text;
    std::vector<int> candidates = mention.candidates;
    std::string resolution = "unique";
    if (candidates.size() > 1) {
      auto narrow_to_prefecture = [&](const Mention* pref) {
        if (pref == nullptr || pref->candidates.size() != 1) return false;
        const Place& p = m.places[pref->candidates[0]];
        if (p.kind != "prefecture") return false;
        std::vector<int> kept;
        for (int c : candidates)
          if (m.places[c].prefecture == p.name) kept.push_back(c);
        if (kept.size() != 1) return false;
        candidates = kept;
        return true;
      };
      // 福島県伊達市 / 府中市(広島県)
      const Mention* before = i > 0 && mentions[i - 1].page == mention.page &&
                                      mention.hit.begin - mentions[i - 1].hit.end <= 1
                                  ? &mentions[i - 1]
                                  : nullptr;
      const Mention* after = i + 1 < mentions.size() && mentions[i + 1].page == mention.page &&
                                     mentions[i + 1].hit.begin == mention.hit.end + 1 &&
                                     text[mention.hit.end] == U'('
                                 ? &mentions[i + 1]
                                 : nullptr;
      if (narrow_to_prefecture(before)) {
        resolution = "prefecture_before";
      } else if (narrow_to_prefecture(after)) {
        resolution = "prefecture_after";
      } else {
        // Places named nearby, then the document's areas, then the whole document.
        std::vector<std::pair<long, int>> scored;
        for (int c : candidates) {
          const Place& place = m.places[c];
          long score = 10000L * weight_for(place, mention, true);
          auto in_area = m.areas_of_code.find(place.code);
          if (in_area != m.areas_of_code.end()) {
            for (int a : in_area->second) score += document_areas.count(a) ? 1000 : 0;
          }
          score += weight_for(place, mention, false);
          scored.emplace_back(score, c);
        }
        std::sort(scored.rbegin(), scored.rend());
        if (scored[0].first > 0 && scored[0].first > scored[1].first) {
          candidates = {scored[0].second};
          resolution = "context";
        } else {
          resolution = "ambiguous:";
          for (int c : candidates) resolution += " " + m.places[c].code;
        }
      }
    }
    MunicipalityRecord r;
    r.page_no = pages[mention.page].page_no;
    r.start_offset = mention.hit.begin;
    r.end_offset = mention.hit.end;
    r.surface = EncodeUtf8(text.substr(mention.hit.begin, mention.hit.end - mention.hit.begin));
    r.resolution = resolution;
    const Place& place = m.places[candidates[0]];
    r.name = candidates.size() == 1 ? place.full_name : place.name;
    r.kind = place.kind;
    if (candidates.size() == 1) {
      r.code = place.code;
      r.prefecture = place.prefecture;
      r.successor_code = place.successor;
    }
    r.rule_id = place.former ? "former" : m.keys[mention.hit.key].variant ? "variant" : "name";
    records->municipalities.push_back(std::move(r));
  }
}

}  // namespace kobun::extract
