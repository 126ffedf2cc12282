// Private to extract/: CSV reading and a dictionary automaton (Aho–Corasick) that finds
// every occurrence of many fixed strings in one pass over a text.
#ifndef KOBUN_EXTRACT_TEXT_INDEX_H_
#define KOBUN_EXTRACT_TEXT_INDEX_H_

#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kobun::extract {

// A UTF-8 CSV file with a header row. Quoted fields may hold commas and doubled quotes.
// Fields are views into the table, valid until the next Read.
class CsvTable {
 public:
  class Row {
   public:
    // The field under `column`; empty when the header has no such column or the row
    // is short.
    std::string_view operator[](std::string_view column) const;

   private:
    friend class CsvTable;
    Row(const CsvTable* table, size_t first, size_t count) : table_(table), first_(first), count_(count) {}
    const CsvTable* table_;
    size_t first_, count_;  // the row's fields in table_->fields_
  };

  // False and *error when the file cannot be read or has no header.
  bool Read(const std::filesystem::path& path, std::string* error);
  size_t size() const { return row_starts_.size(); }
  Row row(size_t i) const {
    const size_t end = i + 1 < row_starts_.size() ? row_starts_[i + 1] : fields_.size();
    return Row(this, row_starts_[i], end - row_starts_[i]);
  }

 private:
  // The file's bytes, which most fields view; a quoted field with a doubled quote or
  // with text after its closing quote is kept, unescaped, in `unescaped_` (a deque: its
  // strings stay where they are).
  std::string text_;
  std::deque<std::string> unescaped_;
  std::vector<std::string_view> header_;
  std::vector<std::string_view> fields_;  // every row's fields, one row after another
  std::vector<size_t> row_starts_;
};

class Dictionary {
 public:
  // Adds a key; returns its index (the same index for a key added twice).
  int Add(const std::u32string& key);
  // Builds the automaton; call once after the last Add.
  void Build();

  struct Hit {
    int begin, end;  // code points
    int key;
  };
  // Every occurrence of every key, overlapping ones included.
  std::vector<Hit> FindAll(std::u32string_view text) const;

  // Whether some key starts with `prefix` followed by `next` (東村 + 山 → 東村山市).
  bool Continues(const std::u32string& prefix, char32_t next) const;

  size_t size() const { return keys_.size(); }
  const std::u32string& key(int index) const { return keys_[index]; }

 private:
  int Child(int node, char32_t c) const;

  struct Node {
    int fail = 0;
    int key = -1;   // the key that ends here, or -1
    int link = -1;  // the nearest node on the fail chain where a key ends
    int depth = 0;
  };
  std::vector<Node> nodes_{Node()};
  // Bit c is set when character c occurs in some key: any other character sends the
  // search back to the root at once (most characters of a page are in no place name).
  std::vector<uint64_t> in_keys_;
  // (node << 32 | char) → child, in open addressing: FindAll asks it for every character
  // of every page, and std::unordered_map's buckets cost more than the rest of the search.
  class Edges {
   public:
    int Find(uint64_t key) const;
    void Insert(uint64_t key, int child);

   private:
    static constexpr uint64_t kEmpty = ~uint64_t{0};  // no node << 32 | char is this
    std::vector<uint64_t> keys_;
    std::vector<int> children_;
    size_t size_ = 0;
  };
  Edges edges_;
  std::vector<std::vector<std::pair<char32_t, int>>> children_{{}};
  std::vector<std::u32string> keys_;
  std::unordered_map<std::u32string, int> index_;
};

// The non-overlapping hits to keep: longest first, then leftmost.
std::vector<Dictionary::Hit> LongestFirst(std::vector<Dictionary::Hit> hits);

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_TEXT_INDEX_H_
