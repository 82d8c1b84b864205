#pragma once

#include "scheduling/calendarlayout.h"
#include "scheduling/calendarrangequery.h"

#include <QWidget>

class QLabel;

namespace MigrationDesk {

class CalendarPageView;

// The Schedules view's calendar: Week and Month pages (W and M switch) with previous / today / next (buttons and keys),
// a title naming the range, a hint (the count, the busiest day, why only counts show) and Export PDF.
// It asks for data with rangeRequested() and shows what setResult() brings; the view's worker reads it.
// GUI thread.
class CalendarPane : public QWidget
{
    Q_OBJECT

public:
    explicit CalendarPane(QWidget *parent = nullptr);

    CalendarLayout::Mode mode() const;
    void setMode(CalendarLayout::Mode mode);
    QDate anchor() const;
    void setAnchor(const QDate &date);
    // "Today" for the highlight and the Today button; the real date unless a test pins it.
    void setToday(const QDate &today);
    QDate today() const;
    std::pair<QDate, QDate> visibleRange() const;

    void previous();
    void next();
    void goToday();
    // Asks again for the visible range (filters changed, a save, a refresh).
    void reload();
    // Shown only when it answers the visible range.
    void setResult(const MigrationDesk::CalendarResult &result);
    void setSelectedId(const QString &id);

    // Writes the visible page to a PDF file, one landscape page with the title; false with *error on failure.
    bool exportPdf(const QString &path, QString *error) const;

    CalendarPageView *pageView() const { return m_view; }
    QString title() const;
    QString hint() const;

Q_SIGNALS:
    void rangeRequested(const QDate &from, const QDate &to);
    // Week or Month, chosen here by key (W, M) or through setMode().
    void modeChanged(MigrationDesk::CalendarLayout::Mode mode);
    void itemClicked(const MigrationDesk::CalendarItem &item);
    void itemActivated(const MigrationDesk::CalendarItem &item);

private:
    void onExportClicked();
    void updateTitle();
    void updateHint();

    QDate m_today;
    CalendarPageView *m_view = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_hint = nullptr;
};

} // namespace MigrationDesk
