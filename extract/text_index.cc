#include "extract/text_index.h"

#include <algorithm>
#include <deque>
#include <fstream>
#include <sstream>

namespace kobun::extract {
namespace {

// Appends the fields of the record at *at to *fields and moves *at past it. Quoted
// fields with a doubled quote or with text after the closing quote are copied into
// *unescaped; every other field is a view of `text`.
void SplitCsvRecord(std::string_view text, size_t* at, std::vector<std::string_view>* fields,
                    std::deque<std::string>* unescaped) {
  while (true) {
    std::string_view field;
    const bool quoted = *at < text.size() && text[*at] == '"';
    if (quoted) {
      const size_t begin = ++*at;
      bool doubled = false;
      for (; *at < text.size(); ++*at) {
        if (text[*at] != '"') continue;
        if (*at + 1 < text.size() && text[*at + 1] == '"') {
          doubled = true;
          ++*at;
          continue;
        }
        break;
      }
      field = text.substr(begin, std::min(*at, text.size()) - begin);
      if (*at < text.size()) ++*at;  // the closing quote
      if (doubled) {
        std::string& owned = unescaped->emplace_back();
        for (size_t i = 0; i < field.size(); ++i) {
          owned += field[i];
          if (field[i] == '"') ++i;  // the second of a doubled quote
        }
        field = owned;
      }
    }
    // Unquoted text (or what follows a closing quote) up to the next comma or newline.
    size_t end = *at;
    while (end < text.size() && text[end] != ',' && text[end] != '\n') ++end;
    std::string_view rest = text.substr(*at, end - *at);
    if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
    if (!quoted) {
      field = rest;
    } else if (!rest.empty()) {  // text after the closing quote, joined to the quoted part
      field = unescaped->emplace_back(std::string(field) + std::string(rest));
    }
    fields->push_back(field);
    *at = end + 1;
    if (end == text.size() || text[end] == '\n') return;
  }
}

}  // namespace

std::string_view CsvTable::Row::operator[](std::string_view column) const {
  for (size_t i = 0; i < table_->header_.size() && i < count_; ++i) {
    if (table_->header_[i] == column) return table_->fields_[first_ + i];
  }
  return {};
}

bool CsvTable::Read(const std::filesystem::path& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path.string();
    return false;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  text_ = std::move(bytes).str();
  unescaped_.clear();
  header_.clear();
  fields_.clear();
  row_starts_.clear();
  size_t at = 0;
  if (text_.empty()) {
    *error = path.string() + " has no header row";
    return false;
  }
  SplitCsvRecord(text_, &at, &header_, &unescaped_);
  while (at < text_.size()) {
    const size_t first = fields_.size();
    SplitCsvRecord(text_, &at, &fields_, &unescaped_);
    if (fields_.size() == first + 1 && fields_.back().empty()) {  // a blank line
      fields_.pop_back();
      continue;
    }
    row_starts_.push_back(first);
  }
  return true;
}

int Dictionary::Add(const std::u32string& key) {
  auto [it, inserted] = index_.emplace(key, static_cast<int>(keys_.size()));
  if (!inserted) return it->second;
  keys_.push_back(key);
  int node = 0;
  for (char32_t c : key) {
    if (c / 64 >= in_keys_.size()) in_keys_.resize(c / 64 + 1, 0);
    in_keys_[c / 64] |= uint64_t{1} << (c % 64);
    int next = Child(node, c);
    if (next < 0) {
      next = static_cast<int>(nodes_.size());
      nodes_.push_back(Node());
      nodes_.back().depth = nodes_[node].depth + 1;
      children_.emplace_back();
      children_[node].emplace_back(c, next);
      edges_.Insert((static_cast<uint64_t>(node) << 32) | c, next);
    }
    node = next;
  }
  nodes_[node].key = it->second;
  return it->second;
}

bool Dictionary::Continues(const std::u32string& prefix, char32_t next) const {
  int node = 0;
  for (char32_t c : prefix) {
    node = Child(node, c);
    if (node < 0) return false;
  }
  return Child(node, next) >= 0;
}

int Dictionary::Child(int node, char32_t c) const { return edges_.Find((static_cast<uint64_t>(node) << 32) | c); }

namespace {
uint64_t Mix(uint64_t key) {  // MurmurHash3's finalizer: nearby keys land far apart
  key ^= key >> 33;
  key *= 0xff51afd7ed558ccdULL;
  key ^= key >> 33;
  return key;
}
}  // namespace

int Dictionary::Edges::Find(uint64_t key) const {
  if (keys_.empty()) return -1;
  const size_t mask = keys_.size() - 1;
  for (size_t i = Mix(key) & mask;; i = (i + 1) & mask) {
    if (keys_[i] == key) return children_[i];
    if (keys_[i] == kEmpty) return -1;
  }
}

void Dictionary::Edges::Insert(uint64_t key, int child) {
  if ((size_ + 1) * 2 > keys_.size()) {  // at most half full, so probes stay short
    std::vector<uint64_t> old_keys(std::max<size_t>(64, keys_.size() * 2), kEmpty);
    std::vector<int> old_children(old_keys.size(), -1);
    old_keys.swap(keys_);
    old_children.swap(children_);
    size_ = 0;
    for (size_t i = 0; i < old_keys.size(); ++i)
      if (old_keys[i] != kEmpty) Insert(old_keys[i], old_children[i]);
  }
  const size_t mask = keys_.size() - 1;
  size_t i = Mix(key) & mask;
  while (keys_[i] != kEmpty && keys_[i] != key) i = (i + 1) & mask;
  if (keys_[i] == kEmpty) ++size_;
  keys_[i] = key;
  children_[i] = child;
}

void Dictionary::Build() {
  std::deque<int> queue;
  for (const auto& [c, child] : children_[0]) {
    nodes_[child].fail = 0;
    queue.push_back(child);
  }
  while (!queue.empty()) {
    const int node = queue.front();
    queue.pop_front();
    for (const auto& [c, child] : children_[node]) {
      int f = nodes_[node].fail;
      while (f > 0 && Child(f, c) < 0) f = nodes_[f].fail;
      const int target = Child(f, c);
      nodes_[child].fail = (target >= 0 && target != child) ? target : 0;
      const Node& fail = nodes_[nodes_[child].fail];
      nodes_[child].link = fail.key >= 0 ? nodes_[child].fail : fail.link;
      queue.push_back(child);
    }
  }
}

std::vector<Dictionary::Hit> Dictionary::FindAll(std::u32string_view text) const {
  std::vector<Hit> hits;
  int state = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    if (c / 64 >= in_keys_.size() || !(in_keys_[c / 64] >> (c % 64) & 1)) {
      state = 0;
      continue;
    }
    int next;
    while ((next = Child(state, c)) < 0 && state > 0) state = nodes_[state].fail;
    state = next < 0 ? 0 : next;
    for (int n = nodes_[state].key >= 0 ? state : nodes_[state].link; n > 0; n = nodes_[n].link) {
      const int end = static_cast<int>(i) + 1;
      hits.push_back({end - nodes_[n].depth, end, nodes_[n].key});
    }
  }
  return hits;
}

std::vector<Dictionary::Hit> LongestFirst(std::vector<Dictionary::Hit> hits) {
  std::stable_sort(hits.begin(), hits.end(), [](const Dictionary::Hit& a, const Dictionary::Hit& b) {
    if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
    return a.begin < b.begin;
  });
  std::map<int, int> taken;
  std::vector<Dictionary::Hit> kept;
  for (const Dictionary::Hit& h : hits) {
    auto next = taken.lower_bound(h.begin);
    if (next != taken.end() && next->first < h.end) continue;
    if (next != taken.begin() && std::prev(next)->second > h.begin) continue;
    taken.emplace(h.begin, h.end);
    kept.push_back(h);
  }
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.begin < b.begin; });
  return kept;
}

}  // namespace kobun::extract
