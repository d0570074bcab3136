// The parse tree of client-go's jsonpath templates (util/jsonpath/node.go).

export interface SliceParam {
  value: number;
  known: boolean;
  derived: boolean; // the end of `[i]`, computed as i+1
}

export type Node =
  | ListNode
  | { type: 'text'; text: string }
  | { type: 'field'; name: string }
  | { type: 'identifier'; name: string } // range, end
  | { type: 'array'; params: [SliceParam, SliceParam, SliceParam] }
  | { type: 'filter'; left: ListNode; right: ListNode; operator: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'union'; nodes: ListNode[] };

export interface ListNode {
  type: 'list';
  nodes: Node[];
}

export const newList = (): ListNode => ({ type: 'list', nodes: [] });
