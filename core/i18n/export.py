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
    "export.excel_rows": (
        "Rows past Excel's last row (1,048,576): {n}. They are left out of the Excel file; "
        "the CSV has every row."
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
    "export.excel_rows": (
        "超出 Excel 最大行数（1,048,576 行）的行：{n} 行。Excel 文件中未包含这些行；"
        "CSV 文件包含全部行。"
    ),
}
