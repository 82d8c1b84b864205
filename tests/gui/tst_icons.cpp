// The icon set (resources/icons through ui/icons): every SVG reads in the subset SvgOutline knows, the
// parser draws what the SVG says, icons take the palette's colours, and the main window renders with
// legible toolbar icons under the default and a dark Fusion palette (grabs saved in the build tree).
#include "icons.h"
#include "mainwindow.h"
#include "session/appservices.h"
#include "monochromeiconengine.h"
#include "svgoutline.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPalette>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QToolBar>
#include <QToolButton>
#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

// Clearly apart on a 0..1 scale: black on white is 1, mid grey on white about 0.5.
constexpr double kLegibleContrast = 0.4;
constexpr double kDisabledContrast = 0.15;

double luminance(QColor c)
{
    return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF();
}

// The average colour of the pixmap's mostly opaque pixels, composited over background.
struct Ink
{
    int pixels = 0;
    double luminance = 0;
};

Ink inkOf(const QPixmap &pixmap, QColor background)
{
    const QImage image = pixmap.toImage().convertToFormat(QImage::Format_ARGB32);
    Ink ink;
    double sum = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alphaF() < 0.3)
                continue;
            const double a = c.alphaF();
            sum += a * luminance(c) + (1 - a) * luminance(background);
            ++ink.pixels;
        }
    }
    ink.luminance = ink.pixels ? sum / ink.pixels : 0;
    return ink;
}

// The most frequent colour of an image: the background a toolbar's buttons sit on.
QColor dominantColor(const QImage &image)
{
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            ++counts[image.pixel(x, y)];
    }
    QRgb best = 0;
    int bestCount = -1;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (it.value() > bestCount) {
            best = it.key();
            bestCount = it.value();
        }
    }
    return QColor::fromRgb(best);
}

// Fusion's usual dark scheme, disabled group included, as dark-themed Qt apps set it.
QPalette darkPalette()
{
    QPalette p;
    const QColor window(53, 53, 53), base(35, 35, 35), text(Qt::white), disabled(127, 127, 127);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(42, 130, 218));
    p.setColor(QPalette::Highlight, QColor(42, 130, 218));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Disabled, QPalette::WindowText, disabled);
    p.setColor(QPalette::Disabled, QPalette::Text, disabled);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, disabled);
    return p;
}

QRectF boundsOf(const QByteArray &svg)
{
    const SvgOutline outline = SvgOutline::parse(svg);
    QRectF bounds;
    for (const SvgOutline::Shape &shape : outline.shapes())
        bounds = bounds.united(shape.path.boundingRect());
    return bounds;
}

QByteArray svgWith(const QByteArray &body)
{
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">" + body + "</svg>";
}

} // namespace

class TstIcons : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyIconReads();
    void everySvgHasAName();
    void pathSubset_data();
    void pathSubset();
    void outsideTheSubsetIsAnError_data();
    void outsideTheSubsetIsAnError();
    void iconsTakeThePaletteColours();
    void mainWindowInBothPalettes_data();
    void mainWindowInBothPalettes();
    void cleanupTestCase();

private:
    QPalette m_defaultPalette;
};

void TstIcons::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"MigrationDesk"_s);
    QCoreApplication::setApplicationName(u"tst_icons"_s);
    QSettings().clear();
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    m_defaultPalette = QApplication::style()->standardPalette();
    QApplication::setPalette(m_defaultPalette);
}

void TstIcons::cleanupTestCase()
{
    QApplication::setPalette(m_defaultPalette);
}

void TstIcons::everyIconReads()
{
    for (Icons::Name name : Icons::all()) {
        QFile file(Icons::resourcePath(name));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const SvgOutline outline = SvgOutline::parse(file.readAll());
        QVERIFY2(!outline.isEmpty(), qPrintable(file.fileName() + u": "_s + outline.error()));

        const QIcon icon = Icons::get(name);
        QVERIFY2(!icon.isNull(), qPrintable(file.fileName()));
        // Drawn on the whole grid, not a dot in a corner: some ink in the 24px pixmap, not all of it.
        const Ink ink = inkOf(icon.pixmap(QSize(24, 24)), Qt::white);
        QVERIFY2(ink.pixels > 24 && ink.pixels < 24 * 24 / 2,
                 qPrintable(u"%1: %2 inked pixels"_s.arg(file.fileName()).arg(ink.pixels)));
    }
    // The window icon is compiled in as raw pixels converted at build time: the same picture as the
    // 128 px PNG the package installs, pixel for pixel.
    const QIcon windowIcon = Icons::windowIcon();
    QVERIFY(!windowIcon.isNull());
    const QImage raw = windowIcon.pixmap(QSize(128, 128)).toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
    const QImage png = QImage(QStringLiteral(MD_SOURCE_DIR "/resources/app/io.github.migrationdesk.MigrationDesk-128.png"))
                           .convertToFormat(QImage::Format_ARGB32_Premultiplied);
    QCOMPARE(png.size(), QSize(128, 128));
    QCOMPARE(raw.size(), png.size());
    QVERIFY(raw == png);
}

void TstIcons::everySvgHasAName()
{
    QStringList named;
    for (Icons::Name name : Icons::all())
        named.append(QFileInfo(Icons::resourcePath(name)).fileName());
    QStringList files = QDir(u":/icons"_s).entryList({u"*.svg"_s}, QDir::Files);
    named.sort();
    files.sort();
    QCOMPARE(files, named);
}

void TstIcons::pathSubset_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QRectF>("bounds");
    QTest::newRow("absolute lines") << QByteArray(R"(<path d="M2 3 L10 3 V9 H4 Z"/>)") << QRectF(2, 3, 8, 6);
    QTest::newRow("relative lines") << QByteArray(R"(<path d="m2 3 l8 0 v6 h-6 z"/>)") << QRectF(2, 3, 8, 6);
    QTest::newRow("implicit line-tos") << QByteArray(R"(<path d="M1 1 5 1 5 7"/>)") << QRectF(1, 1, 4, 6);
    QTest::newRow("packed numbers") << QByteArray(R"(<path d="M1,1L5-1.5.5 2"/>)") << QRectF(0.5, -1.5, 4.5, 3.5);
    // The upper half of a circle of radius 8 around (12,12): sweep flag 1 runs clockwise on screen.
    QTest::newRow("arc over the top") << QByteArray(R"(<path d="M4 12 A8 8 0 0 1 20 12"/>)") << QRectF(4, 4, 16, 8);
    QTest::newRow("arc under the bottom") << QByteArray(R"(<path d="M4 12 A8 8 0 0 0 20 12"/>)") << QRectF(4, 12, 16, 8);
    QTest::newRow("large relative arc") << QByteArray(R"(<path d="M12 4 a8 8 0 1 1 -8 8"/>)") << QRectF(4, 4, 16, 16);
    QTest::newRow("packed arc flags") << QByteArray(R"(<path d="M4 12 A8 8 0 0120 12"/>)") << QRectF(4, 4, 16, 8);
    QTest::newRow("circle") << QByteArray(R"(<circle cx="12" cy="10" r="3"/>)") << QRectF(9, 7, 6, 6);
    QTest::newRow("ellipse") << QByteArray(R"(<ellipse cx="12" cy="12" rx="4" ry="9"/>)") << QRectF(8, 3, 8, 18);
    QTest::newRow("rounded rect") << QByteArray(R"(<rect x="3" y="4" width="18" height="16" rx="2"/>)")
                                  << QRectF(3, 4, 18, 16);
    QTest::newRow("polyline") << QByteArray(R"(<polyline points="2 20 12 4 22 20"/>)") << QRectF(2, 4, 20, 16);
    QTest::newRow("line") << QByteArray(R"(<line x1="3" y1="21" x2="21" y2="3"/>)") << QRectF(3, 3, 18, 18);
    QTest::newRow("title skipped") << QByteArray(R"(<title>t</title><path d="M1 2 H7"/>)") << QRectF(1, 2, 6, 0);
}

void TstIcons::pathSubset()
{
    QFETCH(QByteArray, body);
    QFETCH(QRectF, bounds);
    const SvgOutline outline = SvgOutline::parse(svgWith(body));
    QVERIFY2(!outline.isEmpty(), qPrintable(outline.error()));
    const QRectF actual = boundsOf(svgWith(body));
    // Bezier arcs may bulge by a hair past the true circle.
    const qreal tolerance = 0.05;
    QVERIFY2(std::abs(actual.left() - bounds.left()) < tolerance && std::abs(actual.top() - bounds.top()) < tolerance
                 && std::abs(actual.right() - bounds.right()) < tolerance
                 && std::abs(actual.bottom() - bounds.bottom()) < tolerance,
             qPrintable(u"got %1,%2 %3x%4"_s.arg(actual.x()).arg(actual.y()).arg(actual.width()).arg(actual.height())));
}

void TstIcons::outsideTheSubsetIsAnError_data()
{
    QTest::addColumn<QByteArray>("svg");
    QTest::newRow("smooth curve") << svgWith(R"(<path d="M1 1 S4 4 8 8"/>)");
    QTest::newRow("rotated arc") << svgWith(R"(<path d="M4 12 A8 4 30 0 1 20 12"/>)");
    QTest::newRow("group") << svgWith(R"(<g><path d="M1 1 H8"/></g>)");
    QTest::newRow("text") << svgWith(R"(<text x="1" y="1">A</text>)");
    QTest::newRow("number missing") << svgWith(R"(<path d="M1 1 L4"/>)");
    QTest::newRow("odd points") << svgWith(R"(<polyline points="1 2 3 4 5"/>)");
    QTest::newRow("other grid") << QByteArray(R"(<svg viewBox="0 0 16 16"><path d="M1 1 H8"/></svg>)");
    QTest::newRow("empty") << svgWith("");
    QTest::newRow("not xml") << QByteArray("<svg viewBox=\"0 0 24 24\"><path d=\"M1 1 H8\">");
}

void TstIcons::outsideTheSubsetIsAnError()
{
    QFETCH(QByteArray, svg);
    const SvgOutline outline = SvgOutline::parse(svg);
    QVERIFY(outline.isEmpty());
    QVERIFY(!outline.error().isEmpty());
}

void TstIcons::iconsTakeThePaletteColours()
{
    const QIcon icon = Icons::get(Icons::Upgrade);
    for (const QPalette &palette : {m_defaultPalette, darkPalette()}) {
        QApplication::setPalette(palette);
        const QColor text = palette.color(QPalette::WindowText);
        const QColor window = palette.color(QPalette::Window);
        // The stroke centres are fully opaque in the window text colour.
        const QImage normal = icon.pixmap(QSize(48, 48), QIcon::Normal).toImage();
        bool found = false;
        for (int y = 0; y < normal.height() && !found; ++y) {
            for (int x = 0; x < normal.width() && !found; ++x)
                found = normal.pixelColor(x, y) == text;
        }
        QVERIFY2(found, qPrintable(text.name()));
        const Ink normalInk = inkOf(icon.pixmap(QSize(24, 24), QIcon::Normal), window);
        const Ink disabledInk = inkOf(icon.pixmap(QSize(24, 24), QIcon::Disabled), window);
        const Ink selectedInk = inkOf(icon.pixmap(QSize(24, 24), QIcon::Selected), palette.color(QPalette::Highlight));
        QVERIFY(normalInk.pixels > 0);
        QVERIFY(disabledInk.pixels > 0);
        // Disabled looks disabled: nearer the background than the normal icon, yet still visible.
        const double normalContrast = std::abs(normalInk.luminance - luminance(window));
        const double disabledContrast = std::abs(disabledInk.luminance - luminance(window));
        QVERIFY2(normalContrast > kLegibleContrast, qPrintable(QString::number(normalContrast)));
        QVERIFY2(disabledContrast > kDisabledContrast && disabledContrast < normalContrast - 0.2,
                 qPrintable(u"%1 vs %2"_s.arg(disabledContrast).arg(normalContrast)));
        const double selectedContrast = std::abs(selectedInk.luminance - luminance(palette.color(QPalette::Highlight)));
        QVERIFY2(selectedContrast > kLegibleContrast, qPrintable(QString::number(selectedContrast)));
    }
    QApplication::setPalette(m_defaultPalette);
}

void TstIcons::mainWindowInBothPalettes_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("default") << false;
    QTest::newRow("dark") << true;
}

void TstIcons::mainWindowInBothPalettes()
{
    QFETCH(bool, dark);
    const QPalette palette = dark ? darkPalette() : m_defaultPalette;
    QApplication::setPalette(palette);
    auto restore = qScopeGuard([this] { QApplication::setPalette(m_defaultPalette); });

    AppServices services;
    MainWindow window(services);
    window.resize(1100, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    const QPixmap grab = window.grab();
    // Kept for a person to look at; never read back.
    const QString shot = QDir(QCoreApplication::applicationDirPath())
                             .filePath(u"tst_icons-mainwindow-%1.png"_s.arg(dark ? u"dark"_s : u"default"_s));
    QVERIFY2(grab.save(shot), qPrintable(shot));

    auto toolBar = window.findChild<QToolBar *>(u"mainToolBar"_s);
    QVERIFY(toolBar);
    const QImage bar = grab.toImage().copy(QRect(toolBar->mapTo(&window, QPoint(0, 0)), toolBar->size()));
    const QColor background = dominantColor(bar);
    // The grab really is in the palette under test.
    QVERIFY2(std::abs(luminance(background) - luminance(palette.color(QPalette::Window))) < 0.1,
             qPrintable(background.name()));

    const QList<QAction *> actions = toolBar->actions();
    int checked = 0;
    for (QAction *action : actions) {
        if (action->isSeparator())
            continue;
        ++checked;
        QVERIFY2(!action->icon().isNull(), qPrintable(action->text()));
        const QIcon::Mode mode = action->isEnabled() ? QIcon::Normal : QIcon::Disabled;
        const Ink ink = inkOf(action->icon().pixmap(toolBar->iconSize(), mode), background);
        QVERIFY2(ink.pixels > 0, qPrintable(action->text()));
        const double contrast = std::abs(ink.luminance - luminance(background));
        QVERIFY2(contrast > (action->isEnabled() ? kLegibleContrast : kDisabledContrast),
                 qPrintable(u"%1: contrast %2"_s.arg(action->text()).arg(contrast)));

        // And the window shows it: the button's icon square holds ink of that contrast.
        auto button = qobject_cast<QToolButton *>(toolBar->widgetForAction(action));
        QVERIFY(button);
        QCOMPARE(button->toolButtonStyle(), Qt::ToolButtonTextBesideIcon);
        const QRect iconSquare(button->mapTo(&window, QPoint(0, 0)),
                               QSize(toolBar->iconSize().width() + 4, button->height()));
        const QImage square = grab.toImage().copy(iconSquare);
        int inked = 0;
        for (int y = 0; y < square.height(); ++y) {
            for (int x = 0; x < square.width(); ++x)
                inked += std::abs(luminance(square.pixelColor(x, y)) - luminance(background)) > contrast * 0.6;
        }
        QVERIFY2(inked > 10, qPrintable(u"%1: %2 icon pixels on screen"_s.arg(action->text()).arg(inked)));
    }
    QVERIFY(checked >= 5); // connect, disconnect, refresh, check drift, language

    // The language switch is in the toolbar too, behind the language icon (checked with the others
    // above), and opens the same Language menu as the menu bar, whose entry stays without an icon.
    auto language = window.findChild<QAction *>(u"languageToolAction"_s);
    QVERIFY(language);
    QVERIFY(actions.contains(language));
    QVERIFY(!language->icon().isNull());
    auto languageMenu = window.findChild<QMenu *>(u"languageMenu"_s);
    QVERIFY(languageMenu);
    QVERIFY(!languageMenu->isVisible());
    language->trigger();
    QTRY_VERIFY(languageMenu->isVisible());
    languageMenu->hide();

    // The navigation list and the menus' actions carry icons too.
    auto navigation = window.findChild<QListWidget *>(u"navigation"_s);
    QVERIFY(navigation);
    for (int row = 0; row < navigation->count(); ++row)
        QVERIFY2(!navigation->item(row)->icon().isNull(), qPrintable(navigation->item(row)->text()));
    const QList<QAction *> menus = window.menuBar()->actions();
    for (QAction *menuAction : menus) {
        QMenu *menu = menuAction->menu();
        QVERIFY(menu);
        // Not the menu titles: Fusion draws a menu bar entry's icon while it is closed but its title,
        // clipped to the icon's width, while it is open.
        QVERIFY2(menu->icon().isNull(), qPrintable(menu->title()));
        if (menu->objectName() == u"languageMenu"_s)
            continue; // its entries are a radio group named in their own languages
        for (QAction *action : menu->actions()) {
            // The File menu's sandbox, keep-running and quit entries have no icon of their own.
            const bool iconless = action->isSeparator() || action->isCheckable() || action->menuRole() == QAction::QuitRole
                               || action->objectName() == u"sandboxAction"_s;
            if (!iconless)
                QVERIFY2(!action->icon().isNull(), qPrintable(menu->title() + u" > "_s + action->text()));
        }
    }
}

QTEST_MAIN(TstIcons)
#include "tst_icons.moc"
