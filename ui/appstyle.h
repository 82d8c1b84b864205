#pragma once

#include <QProxyStyle>

namespace MigrationDesk {

// The platform's style with the horizontal toolbar's overflow chevron taken from the app's icon set. GUI thread.
class AppStyle : public QProxyStyle
{
    Q_OBJECT

public:
    // No base style given: QProxyStyle wraps the one QApplication would choose (Fusion, or -style's).
    QIcon standardIcon(StandardPixmap standardIcon, const QStyleOption *option = nullptr,
                       const QWidget *widget = nullptr) const override;
};

} // namespace MigrationDesk
