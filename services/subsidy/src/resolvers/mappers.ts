/**
 * What subsidy's resolvers return for a `Student` they name (a signal's student, a roster
 * entry's): the key alone; the gateway joins the rest from the other subgraphs.
 */
export interface StudentReference {
  __typename: 'Student';
  id: string;
}
