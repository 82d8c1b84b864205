// Build-time tool: converts an image to the raw pixel file Icons::windowIcon() reads (a 16-byte
// header "MDRAWIMG", width and height as little-endian 32-bit, then premultiplied ARGB32 rows).
// Decoding a PNG at run time would load every image-format plugin (see ui/icons.cpp).
#include <QFile>
#include <QImage>
#include <QtEndian>

#include <cstdio>

int main(int argc, char *argv[])
{
    if (argc != 3) {
        std::fputs("usage: md_rawimage INPUT.png OUTPUT.argb\n", stderr);
        return 2;
    }
    const QImage image = QImage(QString::fromLocal8Bit(argv[1])).convertToFormat(QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) {
        std::fprintf(stderr, "md_rawimage: cannot read %s\n", argv[1]);
        return 1;
    }
    QFile out(QString::fromLocal8Bit(argv[2]));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::fprintf(stderr, "md_rawimage: cannot write %s\n", argv[2]);
        return 1;
    }
    QByteArray data("MDRAWIMG", 8);
    char size[8];
    qToLittleEndian<quint32>(quint32(image.width()), size);
    qToLittleEndian<quint32>(quint32(image.height()), size + 4);
    data.append(size, 8);
    for (int y = 0; y < image.height(); ++y)
        data.append(reinterpret_cast<const char *>(image.constScanLine(y)), image.width() * 4);
    if (out.write(data) != data.size() || !out.flush()) {
        std::fprintf(stderr, "md_rawimage: cannot write %s\n", argv[2]);
        return 1;
    }
    return 0;
}
