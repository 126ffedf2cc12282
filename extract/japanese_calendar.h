// Era arithmetic and validation on ICU's Japanese and Gregorian calendars.
// Thread-safe: each call uses calendars of its own.
#ifndef KOBUN_EXTRACT_JAPANESE_CALENDAR_H_
#define KOBUN_EXTRACT_JAPANESE_CALENDAR_H_

#include <string>

namespace kobun::extract {

// ICU's index of an era by its kanji name (明治 → 232); -1 when ICU has no such era.
int EraIndex(const std::string& era_name);

// The Gregorian year of year `era_year` of era `era_index` (令和1 → 2019), counted
// from the era's first year whatever the month.
int GregorianYear(int era_index, int era_year);

// The era in force on a Gregorian day (month 1–12); -1 if the day does not exist.
int EraOn(int year, int month, int day);

int DaysInMonth(int year, int month);

// ISO weekday of a Gregorian day: 1 Monday … 7 Sunday.
int Weekday(int year, int month, int day);

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_JAPANESE_CALENDAR_H_
