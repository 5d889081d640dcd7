/** The row an INSERT or UPDATE ... RETURNING of a row known to exist answered: none is a broken invariant. */
export function returnedRow<Row>(row: Row | undefined, statement: string): Row {
  if (!row) throw new Error(`${statement} answered no row`);
  return row;
}
