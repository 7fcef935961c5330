"""Messages shown next to downloads (English and Simplified Chinese; merged by core.i18n)."""

EN: dict[str, str] = {
    "export.excel_cut": (
        "Cells longer than Excel allows (32,767 characters): {n}. They are cut in the Excel "
        "file; the CSV keeps them whole."
    ),
    "export.excel_cleaned": (
        "Cells with control characters Excel cannot store: {n}. Those characters are removed "
        "in the Excel file; the CSV keeps them."
    ),
}

ZH: dict[str, str] = {
    "export.excel_cut": (
        "超过 Excel 长度上限（32,767 个字符）的单元格：{n} 个。Excel 文件中已将其截断；"
        "CSV 文件保留完整内容。"
    ),
    "export.excel_cleaned": (
        "含有 Excel 无法保存的控制字符的单元格：{n} 个。Excel 文件中已删除这些字符；"
        "CSV 文件保留原样。"
    ),
}
