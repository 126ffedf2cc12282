#include "extract/japanese_calendar.h"

#include <unicode/calendar.h>
#include <unicode/dtfmtsym.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <map>
#include <memory>
#include <mutex>

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

}  // namespace

int EraIndex(const std::string& era_name) {
  const auto& names = EraNames();
  auto it = names.find(era_name);
  return it == names.end() ? -1 : it->second;
}

int GregorianYear(int era_index, int era_year) {
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

int EraOn(int year, int month, int day) {
  UDate time;
  if (!GregorianTime(year, month, day, &time)) return -1;
  icu::Calendar* jp = JapaneseCalendar();
  if (!jp) return -1;
  UErrorCode status = U_ZERO_ERROR;
  jp->setTime(time, status);
  const int era = jp->get(UCAL_ERA, status);
  return U_SUCCESS(status) ? era : -1;
}

int DaysInMonth(int year, int month) {
  icu::GregorianCalendar* cal = Gregorian();
  if (!cal || month < 1 || month > 12) return 0;
  cal->clear();
  cal->set(year, month - 1, 1);
  UErrorCode status = U_ZERO_ERROR;
  const int days = cal->getActualMaximum(UCAL_DATE, status);
  return U_SUCCESS(status) ? days : 0;
}

int Weekday(int year, int month, int day) {
  UDate time;
  if (!GregorianTime(year, month, day, &time)) return 0;
  icu::GregorianCalendar* cal = Gregorian();
  UErrorCode status = U_ZERO_ERROR;
  cal->setTime(time, status);
  const int icu_day = cal->get(UCAL_DAY_OF_WEEK, status);  // 1 Sunday … 7 Saturday
  return icu_day == UCAL_SUNDAY ? 7 : icu_day - 1;
}

}  // namespace kobun::extract
