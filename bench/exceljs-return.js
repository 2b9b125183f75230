// The exceljs peer of the progress return: writes the same workbook as
// Improvement Tracker (same sheets, rows, columns, styles, tables,
// drop-downs, RAG colours, page set-up, headers and footers) from the
// description the Go benchmark saved, and reports how long that took.
//
// Usage: node exceljs-return.js DESCRIPTION.json OUT.xlsx
// Prints one line of JSON: {"seconds": …, "rows": …}. The time covers
// building and writing the workbook, not reading the description.
'use strict';

const fs = require('fs');
const ExcelJS = require('exceljs');

const [, , input, output] = process.argv;
if (!input || !output) {
  console.error('usage: node exceljs-return.js DESCRIPTION.json OUT.xlsx');
  process.exit(2);
}
const doc = JSON.parse(fs.readFileSync(input, 'utf8'));

const argb = hex => 'FF' + hex;
const thin = {style: 'thin', color: {argb: argb('BFBFBF')}};
const font = (bold, size, colour) => ({name: 'Arial', size, bold, color: colour ? {argb: argb(colour)} : undefined});
const top = {vertical: 'top'};
const wrapTop = {vertical: 'top', wrapText: true};
const ragColours = {Red: ['C00000', 'FFFFFF'], Amber: ['FFC000', '000000'], Green: ['00B050', '000000'], Blue: ['0070C0', 'FFFFFF']};

// The same styles, by the names the Go side records.
const styles = {
  marking: {font: font(true, 12, '000000'), alignment: {horizontal: 'center', vertical: 'middle'}},
  title: {font: font(true, 14, '1F3864')},
  caption: {font: font(false, 10, '404040'), alignment: top},
  header: {font: font(true, 10, 'FFFFFF'), fill: {type: 'pattern', pattern: 'solid', fgColor: {argb: argb('1F3864')}},
    alignment: wrapTop, border: {left: thin, right: thin, top: thin, bottom: thin}},
  text: {font: font(false, 10), alignment: top},
  wrap: {font: font(false, 10), alignment: wrapTop},
  date: {font: font(false, 10), alignment: {vertical: 'top', horizontal: 'left'}, numFmt: 'dd/mm/yyyy'},
  number: {font: font(false, 10), alignment: top, numFmt: '0'},
  quoted: {font: font(false, 10), alignment: top, numFmt: '@'},
  quotedWrap: {font: font(false, 10), alignment: wrapTop, numFmt: '@'},
  bold: {font: font(true, 10), alignment: top},
  sectionHead: {font: font(true, 12, '1F3864'), border: {bottom: {style: 'medium', color: {argb: argb('1F3864')}}}},
  total: {font: font(true, 10), border: {top: {style: 'thin', color: {argb: argb('000000')}}}},
  totalNum: {font: font(true, 10), numFmt: '0', border: {top: {style: 'thin', color: {argb: argb('000000')}}}},
  note: {font: {name: 'Arial', size: 10, italic: true, color: {argb: argb('404040')}}, alignment: wrapTop},
};
for (const [rag, [fill, text]] of Object.entries(ragColours)) {
  styles['rag' + rag] = {font: {name: 'Arial', size: 10, bold: true, color: {argb: argb(text)}},
    fill: {type: 'pattern', pattern: 'solid', fgColor: {argb: argb(fill)}}, alignment: top};
}

const formulaLead = s => typeof s === 'string' && /^[=+\-@\t\r]/.test(s);
const asDate = iso => { const [y, m, d] = iso.split('-').map(Number); return new Date(Date.UTC(y, m - 1, d)); };

function pageSetup(sheet, titleRow) {
  const setup = {paperSize: sheet.paper, orientation: 'landscape', fitToPage: true, fitToWidth: 1,
    fitToHeight: sheet.tall, margins: {left: 0.5, right: 0.5, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3}};
  if (titleRow) setup.printTitlesRow = `${titleRow}:${titleRow}`;
  return setup;
}

function tableSheet(wb, sheet) {
  const ws = wb.addWorksheet(sheet.name, {
    pageSetup: pageSetup(sheet, 3),
    headerFooter: {oddHeader: sheet.header, oddFooter: sheet.footer},
    views: [{state: 'frozen', ySplit: 3, topLeftCell: 'A4', activeCell: 'A4'}],
  });
  ws.columns = sheet.widths.map(width => ({width}));
  const lastCol = sheet.cols.length;
  ws.getCell(1, 1).value = sheet.marking;
  ws.getCell(1, 1).style = styles.marking;
  ws.getRow(1).height = 20;
  ws.mergeCells(1, 1, 1, lastCol);
  ws.getCell(2, 1).value = sheet.caption;
  ws.getCell(2, 1).style = styles.caption;

  const rows = (sheet.rows || []).map(row => row.map((v, i) => (v !== null && sheet.cols[i].kind === 'date') ? asDate(v) : v));
  ws.addTable({
    name: sheet.table, ref: 'A3', headerRow: true, style: {theme: 'TableStyleLight9', showRowStripes: true},
    columns: sheet.cols.map(c => ({name: c.header, filterButton: true})),
    rows: rows.length ? rows : [sheet.cols.map(() => null)],
  });
  for (let c = 1; c <= lastCol; c++) ws.getCell(3, c).style = styles.header;
  rows.forEach((row, r) => {
    const xr = ws.getRow(4 + r);
    if (sheet.heights && sheet.heights[r] > 0) xr.height = sheet.heights[r];
    row.forEach((v, i) => {
      if (v === null || v === '') return;
      const kind = sheet.cols[i].kind;
      let style = styles.text;
      if (kind === 'date') style = styles.date;
      else if (kind === 'number') style = styles.number;
      else if (formulaLead(v)) style = kind === 'wrap' ? styles.quotedWrap : styles.quoted;
      else if (kind === 'wrap') style = styles.wrap;
      xr.getCell(i + 1).style = style;
    });
  });
  const last = 4 + Math.max(rows.length, 1) - 1;
  sheet.cols.forEach((c, i) => {
    const col = ws.getColumn(i + 1).letter;
    const ref = `${col}4:${col}${last}`;
    if (c.list) {
      ws.dataValidations.add(ref, {type: 'list', allowBlank: true, formulae: [`"${c.list.join(',')}"`],
        showErrorMessage: true, errorStyle: 'stop', errorTitle: c.header,
        error: 'Choose one of the values in the list (see the Key sheet).'});
    }
    if (c.rag) {
      ws.addConditionalFormatting({ref, rules: Object.entries(ragColours).map(([rag, [fill, text]], i) => ({
        type: 'cellIs', operator: 'equal', formulae: [`"${rag}"`], priority: i + 1,
        style: {font: {bold: true, color: {argb: argb(text)}}, fill: {type: 'pattern', pattern: 'solid', bgColor: {argb: argb(fill)}}},
      }))});
    }
  });
}

function cellSheet(wb, sheet) {
  const ws = wb.addWorksheet(sheet.name, {
    pageSetup: pageSetup(sheet, 0),
    headerFooter: {oddHeader: sheet.header, oddFooter: sheet.footer},
  });
  (sheet.widths || []).forEach((w, i) => { if (w) ws.getColumn(i + 1).width = w; });
  for (const c of sheet.cells) {
    const cell = ws.getCell(c.r, c.c);
    cell.value = c.t === 'd' ? asDate(c.v) : c.v;
    cell.style = styles[c.s] || (c.t === 'd' ? styles.date : c.t === 'n' ? styles.number : styles.text);
  }
  for (const [row, h] of Object.entries(sheet.rowHeights || {})) ws.getRow(Number(row)).height = h;
  ws.getRow(1).height = 20;
  for (const [from, to] of sheet.merges || []) ws.mergeCells(`${from}:${to}`);
}

async function main() {
  const start = process.hrtime.bigint();
  const wb = new ExcelJS.Workbook();
  wb.creator = doc.creator;
  wb.lastModifiedBy = doc.creator;
  wb.title = doc.title;
  wb.subject = doc.subject;
  wb.created = new Date();
  wb.modified = wb.created;
  let rows = 0;
  for (const sheet of doc.sheets) {
    if (sheet.table) {
      tableSheet(wb, sheet);
      rows += (sheet.rows || []).length;
    } else {
      cellSheet(wb, sheet);
    }
  }
  await wb.xlsx.writeFile(output);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({seconds, rows}));
}

main().catch(err => { console.error(err); process.exit(1); });
