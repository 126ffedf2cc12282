#include "extract/japanese_calendar.h"

#include <unicode/calendar.h>
#include <unicode/dtfmtsym.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace kobun::extract {
namespace {

const icu::Locale& JapaneseLocale() {
  static const icu::Locale locale("ja_JP@calendar=japanese");
  return locale;
}

const std::map<std::string, int>& EraNames() {
  static const std::map<std::string, int>* names = [] {
    auto* m = new std::map<std::string, int>;
    UErrorCode status = U_ZERO_ERROR;
    icu::DateFormatSymbols symbols(JapaneseLocale(), "japanese", status);
    if (U_FAILURE(status)) return m;
    int32_t count = 0;
    const icu::UnicodeString* eras = symbols.getEras(count);
    for (int32_t i = 0; eras != nullptr && i < count; ++i) {
      std::string name;
      eras[i].toUTF8String(name);
      (*m)[name] = i;
    }
    return m;
  }();
  return *names;
}

// Calendars are costly to create and not thread-safe: one of each per thread.
icu::Calendar* JapaneseCalendar() {
  thread_local std::unique_ptr<icu::Calendar> cal = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Calendar> c(
        icu::Calendar::createInstance(icu::TimeZone::getGMT()->clone(), JapaneseLocale(), status));
    return U_SUCCESS(status) ? std::move(c) : nullptr;
  }();
  return cal.get();
}

icu::GregorianCalendar* Gregorian() {
  thread_local std::unique_ptr<icu::GregorianCalendar> cal = [] {
    UErrorCode status = U_ZERO_ERROR;
    auto c = std::make_unique<icu::GregorianCalendar>(icu::TimeZone::getGMT()->clone(), status);
    c->setLenient(false);
    return U_SUCCESS(status) ? std::move(c) : nullptr;
  }();
  return cal.get();
}

// Milliseconds of a Gregorian day, or false when it does not exist.
bool GregorianTime(int year, int month, int day, UDate* time) {
  icu::GregorianCalendar* cal = Gregorian();
  if (!cal) return false;
  cal->clear();
  cal->set(year, month - 1, day, 12, 0);
  UErrorCode status = U_ZERO_ERROR;
  *time = cal->getTime(status);
  return U_SUCCESS(status);
}

// ICU's answers, remembered per thread: documents name the same few months again and
// again, and each calendar query costs thousands of instructions (a quarter of valuing
// dates). Bounded, for text made of random dates.
using Answers = std::unordered_map<int64_t, int>;

template <typename Compute>
int Remembered(Answers& answers, int64_t key, Compute compute) {
  auto it = answers.find(key);
  if (it != answers.end()) return it->second;
  if (answers.size() >= 100000) answers.clear();
  const int answer = compute();
  answers.emplace(key, answer);
  return answer;
}

// A day as a key; the callers check month and day first, so no two days share one.
int64_t DayKey(int year, int month, int day) { return (static_cast<int64_t>(year) * 16 + month) * 32 + day; }

int ComputeGregorianYear(int era_index, int era_year) {
  icu::Calendar* jp = JapaneseCalendar();
  if (!jp) return 0;
  jp->clear();
  jp->set(UCAL_ERA, era_index);
  jp->set(UCAL_YEAR, era_year);
  jp->set(UCAL_MONTH, UCAL_DECEMBER);  // the era's first year ends in the year it began
  jp->set(UCAL_DATE, 31);
  UErrorCode status = U_ZERO_ERROR;
  const UDate time = jp->getTime(status);
  icu::GregorianCalendar* greg = Gregorian();
  if (U_FAILURE(status) || !greg) return 0;
  greg->setTime(time, status);
  return greg->get(UCAL_EXTENDED_YEAR, status);
}

int ComputeEraOn(int year, int month, int day) {
  UDate time;
  if (!GregorianTime(year, month, day, &time)) return -1;
  icu::Calendar* jp = JapaneseCalendar();
  if (!jp) return -1;
  UErrorCode status = U_ZERO_ERROR;
  jp->setTime(time, status);
  const int era = jp->get(UCAL_ERA, status);
  return U_SUCCESS(status) ? era : -1;
}

int ComputeDaysInMonth(int year, int month) {
  icu::GregorianCalendar* cal = Gregorian();
  if (!cal || month < 1 || month > 12) return 0;
  cal->clear();
  cal->set(year, month - 1, 1);
  UErrorCode status = U_ZERO_ERROR;
  const int days = cal->getActualMaximum(UCAL_DATE, status);
  return U_SUCCESS(status) ? days : 0;
}

int ComputeWeekday(int year, int month, int day) {
  UDate time;
  if (!GregorianTime(year, month, day, &time)) return 0;
  icu::GregorianCalendar* cal = Gregorian();
  UErrorCode status = U_ZERO_ERROR;
  cal->setTime(time, status);
  const int icu_day = cal->get(UCAL_DAY_OF_WEEK, status);  // 1 Sunday … 7 Saturday
  return icu_day == UCAL_SUNDAY ? 7 : icu_day - 1;
}

}  // namespace

int EraIndex(const std::string& era_name) {
  const auto& names = EraNames();
  auto it = names.find(era_name);
  return it == names.end() ? -1 : it->second;
}

int GregorianYear(int era_index, int era_year) {
  thread_local Answers answers;
  const int64_t key = static_cast<int64_t>(era_index) * (int64_t{1} << 32) + static_cast<uint32_t>(era_year);
  return Remembered(answers, key, [&] { return ComputeGregorianYear(era_index, era_year); });
}

int EraOn(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return ComputeEraOn(year, month, day);
  thread_local Answers answers;
  return Remembered(answers, DayKey(year, month, day), [&] { return ComputeEraOn(year, month, day); });
}

int DaysInMonth(int year, int month) {
  if (month < 1 || month > 12) return 0;
  thread_local Answers answers;
  return Remembered(answers, DayKey(year, month, 0), [&] { return ComputeDaysInMonth(year, month); });
}

int Weekday(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return ComputeWeekday(year, month, day);
  thread_local Answers answers;
  return Remembered(answers, DayKey(year, month, day), [&] { return ComputeWeekday(year, month, day); });
}

}  // namespace kobun::extract
